/// How many descriptors the daemon (and the keeper) need for a table, to warn before the
/// limit on open files (RLIMIT_NOFILE) is what stops an app from starting.
///
/// Each process costs the daemon up to six: its two output pipes, its two log files (an
/// app's instances share them unless logs are not merged), the two /proc files `list`
/// keeps open for it, and for a Node app its IPC channel. The keeper holds the pipes and
/// channels again. Beyond the processes, the daemon keeps `base` for itself: its sockets,
/// epoll, signalfd, inotify, procd.log, clients and HTTP connections.
public enum DescriptorBudget {
    public static let perProcess = 6
    public static let base = 64

    /// Descriptors a table of `processes` processes may need.
    public static func needed(processes: Int) -> Int {
        base + perProcess * max(0, processes)
    }

    /// The warning for a table the limit cannot hold, or nil when it fits.
    public static func warning(processes: Int, limit: Int) -> String? {
        let need = needed(processes: processes)
        guard need > limit else { return nil }
        return "\(processes) processes may need \(need) open descriptors, above the limit of \(limit) "
            + "(RLIMIT_NOFILE); new processes may fail to start with 'Too many open files': "
            + "raise the hard limit (LimitNOFILE= in a systemd unit, ulimit -Hn, prlimit)"
    }
}
