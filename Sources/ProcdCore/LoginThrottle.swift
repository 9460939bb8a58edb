/// Failed logins slow down: a few are free, then each one locks the client out for twice
/// as long as the last (1 s up to 5 min); a quiet quarter of an hour forgives them.
///
/// Pure: the caller passes the time. Bounded: at most `capacity` clients are remembered,
/// the longest quiet forgotten first.
public struct LoginThrottle: Sendable {
    public static let freeFailures = 5
    public static let firstLockout: Duration = .seconds(1)
    public static let longestLockout: Duration = .seconds(300)
    public static let forgiveAfter: Duration = .seconds(900)

    struct Record: Sendable {
        var failures: Int
        var last: Tick
        var lockedUntil: Tick
    }

    private var records: [String: Record] = [:]
    public let capacity: Int

    public init(capacity: Int = 1024) { self.capacity = capacity }

    /// How long the client must wait before its next attempt is looked at; nil if it may try.
    public func retryAfter(_ client: String, now: Tick) -> Duration? {
        guard let record = records[client], now - record.last < Self.forgiveAfter, now < record.lockedUntil else { return nil }
        return record.lockedUntil - now
    }

    public mutating func failed(_ client: String, now: Tick) {
        var record = records[client].flatMap { now - $0.last < Self.forgiveAfter ? $0 : nil } ?? Record(failures: 0, last: now, lockedUntil: now)
        record.failures += 1
        record.last = now
        let over = record.failures - Self.freeFailures
        if over > 0 {
            let seconds = min(Self.longestLockout.nanoseconds / 1_000_000_000, Int64(1) << min(over - 1, 20))
            record.lockedUntil = now + .seconds(seconds)
        }
        if records[client] == nil, records.count >= capacity,
           let quietest = records.min(by: { $0.value.last < $1.value.last })?.key {
            records[quietest] = nil
        }
        records[client] = record
    }

    public mutating func succeeded(_ client: String) {
        records[client] = nil
    }

    public var count: Int { records.count }
}
