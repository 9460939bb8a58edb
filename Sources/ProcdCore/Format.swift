/// Human-readable renderings shared by the daemon's log and the client's tables.
public enum Format {
    /// `45s`, `12m`, `3h`, `2D`, as pm2 shows uptime.
    public static func uptime(milliseconds ms: Int64) -> String {
        let seconds = max(ms, 0) / 1000
        if seconds < 60 { return "\(seconds)s" }
        if seconds < 3600 { return "\(seconds / 60)m" }
        if seconds < 86_400 { return "\(seconds / 3600)h" }
        return "\(seconds / 86_400)D"
    }

    /// `512b`, `12.3kb`, `45.6mb`, `1.2gb`.
    public static func bytes(_ n: Int64) -> String {
        let units = ["b", "kb", "mb", "gb", "tb"]
        var value = Double(max(n, 0))
        var unit = 0
        while value >= 1024, unit < units.count - 1 {
            value /= 1024
            unit += 1
        }
        if unit == 0 { return "\(Int(value))b" }
        return oneDecimal(value) + units[unit]
    }

    public static func percent(_ value: Double) -> String { oneDecimal(value) + "%" }

    public static func oneDecimal(_ value: Double) -> String {
        // NaN, infinities and absurd values come only from a broken peer; never trap on them.
        guard value.isFinite, abs(value) < 1e15 else { return "-" }
        let tenths = Int64((value * 10).rounded())
        // The sign is written apart: between -1 and 0 the integer part alone would drop it.
        let sign = tenths < 0 ? "-" : ""
        return "\(sign)\(tenths.magnitude / 10).\(tenths.magnitude % 10)"
    }

    /// Days since 1970-01-01 to a civil date (Howard Hinnant's algorithm).
    static func civil(days: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    static func days(year: Int64, month: Int64, day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = month > 2 ? month - 3 : month + 9
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    private static func pad(_ n: Int64, _ width: Int) -> String {
        let s = String(n)
        return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
    }

    /// `2026-11-21T18:14:40.123Z` (UTC, milliseconds).
    public static func iso8601(millisecondsSinceEpoch ms: Int64) -> String {
        let seconds = ms >= 0 ? ms / 1000 : (ms - 999) / 1000
        let millis = ms - seconds * 1000
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let secondOfDay = seconds - days * 86_400
        let date = civil(days: days)
        return "\(pad(date.year, 4))-\(pad(date.month, 2))-\(pad(date.day, 2))T"
            + "\(pad(secondOfDay / 3600, 2)):\(pad(secondOfDay / 60 % 60, 2)):\(pad(secondOfDay % 60, 2))."
            + "\(pad(millis, 3))Z"
    }

    /// Parses what `iso8601(millisecondsSinceEpoch:)` writes (UTC with a `Z`, with or
    /// without milliseconds), reading fixed positions.
    public static func parseISO8601(_ text: String) -> Int64? {
        let u = Array(text.utf8)
        guard u.count == 20 || u.count == 24, u.last == UInt8(ascii: "Z"), u[4] == UInt8(ascii: "-"), u[7] == UInt8(ascii: "-"),
              u[10] == UInt8(ascii: "T"), u[13] == UInt8(ascii: ":"), u[16] == UInt8(ascii: ":") else { return nil }
        func number(_ from: Int, _ length: Int) -> Int64? {
            var n: Int64 = 0
            for byte in u[from..<(from + length)] {
                guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
                n = n * 10 + Int64(byte - UInt8(ascii: "0"))
            }
            return n
        }
        guard let year = number(0, 4), let month = number(5, 2), let day = number(8, 2), let hour = number(11, 2),
              let minute = number(14, 2), let second = number(17, 2),
              (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second <= 60 else { return nil }
        var millis: Int64 = 0
        if u.count == 24 {
            guard u[19] == UInt8(ascii: "."), let m = number(20, 3) else { return nil }
            millis = m
        }
        let days = days(year: year, month: month, day: day)
        return ((days * 86_400 + hour * 3600 + minute * 60 + second) * 1000) + millis
    }

    /// `text` with each character found in `table` replaced by its entry.
    public static func escape(_ text: String, _ table: [Character: String]) -> String {
        var out = ""
        for character in text {
            if let replacement = table[character] { out += replacement } else { out.append(character) }
        }
        return out
    }
}
