/// Parses sizes (`200M`, `1G`, `512K`, `1048576`) and durations (`1500`, `30s`, `2m`, `1h`).
public enum Units {
    public static func bytes(_ text: String) -> Int64? {
        var digits = text.trimmingSpaces().uppercased()
        var factor: Int64 = 1
        if digits.hasSuffix("B") { digits.removeLast() }
        switch digits.last {
        case "K": factor = 1 << 10
        case "M": factor = 1 << 20
        case "G": factor = 1 << 30
        case "T": factor = 1 << 40
        default: break
        }
        if factor > 1 { digits.removeLast() }
        guard let n = Int64(digits), n >= 0 else { return nil }
        let (v, overflow) = n.multipliedReportingOverflow(by: factor)
        return overflow ? nil : v
    }

    /// A duration in milliseconds: a bare number is milliseconds, as in pm2.
    public static func duration(_ text: String) -> Duration? {
        let t = text.trimmingSpaces().lowercased()
        let suffixes: [(String, Int64)] = [("ms", 1), ("s", 1000), ("m", 60_000), ("h", 3_600_000), ("d", 86_400_000)]
        for (suffix, factor) in suffixes where t.hasSuffix(suffix) {
            guard let n = Double(t.dropLast(suffix.count)), n >= 0, n.isFinite else { return nil }
            let value = n * Double(factor)
            // Whole milliseconds in Int64's range; anything larger is a typo, not a duration.
            guard value < 9.0e15 else { return nil }
            return .milliseconds(Int64(value))
        }
        guard let n = Int64(t), n >= 0 else { return nil }
        return .milliseconds(n)
    }
}

extension String {
    func trimmingSpaces() -> String {
        var s = Substring(self)
        while s.first?.isWhitespace == true { s.removeFirst() }
        while s.last?.isWhitespace == true { s.removeLast() }
        return String(s)
    }
}
