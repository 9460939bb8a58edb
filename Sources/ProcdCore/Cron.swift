/// A five-field cron expression (`m h dom mon dow`): lists, ranges, steps, `*`, and the
/// names of months and days. Day of month and day of week follow cron's rule: when both
/// are restricted, a day matching either one matches.
public struct Cron: Equatable, Sendable {
    public var minutes: Set<Int>
    public var hours: Set<Int>
    public var daysOfMonth: Set<Int>
    public var months: Set<Int>
    /// 0 is Sunday; 7 is read as Sunday too.
    public var daysOfWeek: Set<Int>
    var dayOfMonthRestricted: Bool
    var dayOfWeekRestricted: Bool

    public struct Failure: Error, Equatable, Sendable, CustomStringConvertible {
        public var message: String
        public var description: String { message }
    }

    static let monthNames = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
    static let dayNames = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"]

    public static func parse(_ text: String) throws(Failure) -> Cron {
        var fields = text.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        let aliases = ["@yearly": "0 0 1 1 *", "@annually": "0 0 1 1 *", "@monthly": "0 0 1 * *", "@weekly": "0 0 * * 0",
                       "@daily": "0 0 * * *", "@midnight": "0 0 * * *", "@hourly": "0 * * * *"]
        if fields.count == 1, let alias = aliases[fields[0].lowercased()] { fields = alias.split(separator: " ").map(String.init) }
        // pm2 accepts a six-field form with seconds first; the seconds are dropped.
        if fields.count == 6 { fields.removeFirst() }
        guard fields.count == 5 else {
            throw Failure(message: "expected five fields (minute hour day-of-month month day-of-week), got \(fields.count) in '\(text)'")
        }
        let minutes = try field(fields[0], 0...59, "minute", names: [])
        let hours = try field(fields[1], 0...23, "hour", names: [])
        let dom = try field(fields[2], 1...31, "day of month", names: [])
        let months = try field(fields[3], 1...12, "month", names: monthNames, nameBase: 1)
        var dow = try field(fields[4], 0...7, "day of week", names: dayNames)
        if dow.contains(7) {
            dow.remove(7)
            dow.insert(0)
        }
        return Cron(minutes: minutes, hours: hours, daysOfMonth: dom, months: months, daysOfWeek: dow,
                    dayOfMonthRestricted: !fields[2].hasPrefix("*"), dayOfWeekRestricted: !fields[4].hasPrefix("*"))
    }

    private static func field(_ text: String, _ range: ClosedRange<Int>, _ what: String, names: [String], nameBase: Int = 0) throws(Failure) -> Set<Int> {
        func value(_ word: Substring) throws(Failure) -> Int {
            if let n = Int(word), range.contains(n) { return n }
            if let index = names.firstIndex(of: word.lowercased()) { return index + nameBase }
            throw Failure(message: "invalid \(what) '\(word)' (expected \(range.lowerBound)-\(range.upperBound)\(names.isEmpty ? "" : " or a name"))")
        }
        var out = Set<Int>()
        for part in text.split(separator: ",", omittingEmptySubsequences: false) {
            guard !part.isEmpty else { throw Failure(message: "empty list item in the \(what) field '\(text)'") }
            let pieces = part.split(separator: "/", omittingEmptySubsequences: false)
            guard pieces.count <= 2 else { throw Failure(message: "invalid step in the \(what) field '\(part)'") }
            var step = 1
            if pieces.count == 2 {
                guard let n = Int(pieces[1]), n > 0 else { throw Failure(message: "invalid step '\(pieces[1])' in the \(what) field") }
                step = n
            }
            let base = pieces[0]
            var low = range.lowerBound
            var high = range.upperBound
            if base == "*" {
                // The whole range.
            } else if let dash = base.firstIndex(of: "-") {
                low = try value(base[..<dash])
                high = try value(base[base.index(after: dash)...])
                guard low <= high else { throw Failure(message: "backwards range '\(base)' in the \(what) field") }
            } else {
                low = try value(base)
                if pieces.count == 1 { high = low }
            }
            for n in stride(from: low, through: high, by: step) { out.insert(n) }
        }
        return out
    }

    func matchesDay(_ day: Int, month: Int, weekday: Int) -> Bool {
        guard months.contains(month) else { return false }
        switch (dayOfMonthRestricted, dayOfWeekRestricted) {
        case (true, true): return daysOfMonth.contains(day) || daysOfWeek.contains(weekday)
        case (true, false): return daysOfMonth.contains(day)
        case (false, true): return daysOfWeek.contains(weekday)
        case (false, false): return true
        }
    }

    /// The first matching minute strictly after `minute` (minutes since the Unix epoch in
    /// local time, i.e. UTC plus the zone's offset); nil when none within five years.
    public func next(after minute: Int64) -> Int64? {
        var current = minute + 1
        let limit = minute + 5 * 366 * 1440
        while current <= limit {
            let days = current >= 0 ? current / 1440 : (current - 1439) / 1440
            let date = Format.civil(days: days)
            let weekday = Int((days % 7 + 11) % 7)          // 1970-01-01 was a Thursday (4)
            if !matchesDay(Int(date.day), month: Int(date.month), weekday: weekday) {
                current = (days + 1) * 1440
                continue
            }
            let minuteOfDay = Int(current - days * 1440)
            let hour = minuteOfDay / 60
            if !hours.contains(hour) {
                current = days * 1440 + Int64(hour + 1) * 60
                continue
            }
            if minutes.contains(minuteOfDay % 60) { return current }
            current += 1
        }
        return nil
    }
}
