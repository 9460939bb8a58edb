import Glibc
import ProcdCore

/// The monotonic clock (for every decision) and the wall clock (for display only).
public enum Clock {
    public static func now() -> Tick {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Tick(nanoseconds: Int64(ts.tv_sec) * 1_000_000_000 + Int64(ts.tv_nsec))
    }

    /// Milliseconds since the Unix epoch.
    public static func wallMilliseconds() -> Int64 {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return Int64(ts.tv_sec) * 1000 + Int64(ts.tv_nsec) / 1_000_000
    }

    /// Nanoseconds since the Unix epoch (the benchmark's respawn stamp).
    public static func wallNanoseconds() -> Int64 {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return Int64(ts.tv_sec) * 1_000_000_000 + Int64(ts.tv_nsec)
    }

    /// Sleeps; for tools and fixtures only, never in the daemon.
    public static func sleep(_ duration: Duration) {
        var ts = timespec(tv_sec: Int(duration.nanoseconds / 1_000_000_000), tv_nsec: Int(duration.nanoseconds % 1_000_000_000))
        var rest = timespec()
        while nanosleep(&ts, &rest) == -1 && errno == EINTR { ts = rest }
    }
}

extension Clock {
    /// The local civil time of a wall-clock instant (localtime_r(3), honouring TZ).
    public static func localTime(millisecondsSinceEpoch ms: Int64) -> CivilTime {
        var seconds = time_t(ms / 1000)
        var parts = tm()
        localtime_r(&seconds, &parts)
        return CivilTime(
            year: Int(parts.tm_year) + 1900, month: Int(parts.tm_mon) + 1, day: Int(parts.tm_mday),
            hour: Int(parts.tm_hour), minute: Int(parts.tm_min), second: Int(parts.tm_sec),
            millisecond: Int(ms % 1000), utcOffset: Int(parts.tm_gmtoff))
    }
}
