/// A point on the monotonic clock, in nanoseconds since an arbitrary origin.
///
/// The core never reads a clock: callers pass "now" in, so tests drive time by hand.
public struct Tick: Comparable, Hashable, Sendable, CustomStringConvertible {
    public var nanoseconds: Int64

    public init(nanoseconds: Int64) { self.nanoseconds = nanoseconds }
    public init(_ sinceOrigin: Duration) { self.nanoseconds = sinceOrigin.nanoseconds }

    public static let zero = Tick(nanoseconds: 0)

    public static func < (a: Tick, b: Tick) -> Bool { a.nanoseconds < b.nanoseconds }
    public static func + (a: Tick, d: Duration) -> Tick { Tick(nanoseconds: a.nanoseconds &+ d.nanoseconds) }
    public static func - (a: Tick, b: Tick) -> Duration { .nanoseconds(a.nanoseconds &- b.nanoseconds) }

    public var description: String { "Tick(\(nanoseconds / 1_000_000)ms)" }
}

extension Duration {
    /// The duration truncated to whole nanoseconds, saturating at Int64's range.
    public var nanoseconds: Int64 {
        let (seconds, attoseconds) = components
        let (scaled, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        if overflow { return seconds < 0 ? .min : .max }
        return scaled &+ attoseconds / 1_000_000_000
    }

    /// The duration in whole milliseconds (truncated).
    public var milliseconds: Int64 { nanoseconds / 1_000_000 }

    /// Multiplies by a factor, rounding to whole milliseconds.
    public func scaled(by factor: Double) -> Duration {
        .milliseconds(Int64((Double(milliseconds) * factor).rounded()))
    }
}
