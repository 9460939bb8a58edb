/// A broken-down local time, as localtime_r(3) gives it.
public struct CivilTime: Equatable, Sendable {
    public var year, month, day, hour, minute, second, millisecond: Int
    /// Offset from UTC in seconds (east positive).
    public var utcOffset: Int

    public init(year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int, millisecond: Int, utcOffset: Int) {
        self.year = year
        self.month = month
        self.day = day
        self.hour = hour
        self.minute = minute
        self.second = second
        self.millisecond = millisecond
        self.utcOffset = utcOffset
    }
}

/// Renders timestamps for log lines with pm2's (moment.js) tokens:
/// `YYYY YY MM M DD D HH H mm m ss s SSS Z ZZ`; any other character is copied, and text in
/// square brackets is copied verbatim.
public enum LogDateFormat {
    public static func render(_ format: String, _ t: CivilTime) -> String {
        let tokens: [(String, (CivilTime) -> String)] = [
            ("YYYY", { pad($0.year, 4) }), ("SSS", { pad($0.millisecond, 3) }),
            ("ZZ", { offset($0.utcOffset, colon: false) }), ("YY", { pad($0.year % 100, 2) }),
            ("MM", { pad($0.month, 2) }), ("DD", { pad($0.day, 2) }), ("HH", { pad($0.hour, 2) }),
            ("mm", { pad($0.minute, 2) }), ("ss", { pad($0.second, 2) }),
            ("Z", { offset($0.utcOffset, colon: true) }), ("M", { String($0.month) }), ("D", { String($0.day) }),
            ("H", { String($0.hour) }), ("m", { String($0.minute) }), ("s", { String($0.second) }),
        ]
        var out = ""
        var rest = Substring(format)
        outer: while let first = rest.first {
            if first == "[", let close = rest.firstIndex(of: "]") {
                out += rest[rest.index(after: rest.startIndex)..<close]
                rest = rest[rest.index(after: close)...]
                continue
            }
            for (token, value) in tokens where rest.hasPrefix(token) {
                out += value(t)
                rest = rest.dropFirst(token.count)
                continue outer
            }
            out.append(first)
            rest = rest.dropFirst()
        }
        return out
    }

    private static func pad(_ n: Int, _ width: Int) -> String {
        let s = String(n)
        return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
    }

    private static func offset(_ seconds: Int, colon: Bool) -> String {
        let sign = seconds < 0 ? "-" : "+"
        let minutes = abs(seconds) / 60
        return sign + pad(minutes / 60, 2) + (colon ? ":" : "") + pad(minutes % 60, 2)
    }
}
