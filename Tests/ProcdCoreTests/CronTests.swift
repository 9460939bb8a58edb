import Testing

@testable import ProcdCore

@Suite struct CronTests {
    /// Minutes since the epoch at midnight of a date, plus `hour` and `minute`.
    private func minute(_ year: Int64, _ month: Int64, _ day: Int64, _ hour: Int64 = 0, _ minute: Int64 = 0) -> Int64 {
        Format.days(year: year, month: month, day: day) * 1440 + hour * 60 + minute
    }

    @Test(arguments: [
        ("* * * * *", [Int](0...59), [Int](0...23), [Int](1...31), [Int](1...12), [Int](0...6)),
        ("0 3 * * *", [0], [3], Array(1...31), Array(1...12), Array(0...6)),
        ("*/15 9-17 1,15 jan-mar mon-fri", [0, 15, 30, 45], Array(9...17), [1, 15], [1, 2, 3], [1, 2, 3, 4, 5]),
        ("5/20 1-7/3 * DEC SUN,7", [5, 25, 45], [1, 4, 7], Array(1...31), [12], [0]),
        ("30 0 1 1 * ", [30], [0], [1], [1], Array(0...6)),
        ("0 30 0 * * *", [30], [0], Array(1...31), Array(1...12), Array(0...6)),
        ("@daily", [0], [0], Array(1...31), Array(1...12), Array(0...6)),
        ("@HOURLY", [0], Array(0...23), Array(1...31), Array(1...12), Array(0...6)),
        ("@weekly", [0], [0], Array(1...31), Array(1...12), [0]),
    ] as [(String, [Int], [Int], [Int], [Int], [Int])])
    func parsesFields(_ text: String, _ minutes: [Int], _ hours: [Int], _ days: [Int], _ months: [Int], _ weekdays: [Int]) throws {
        let cron = try Cron.parse(text)
        #expect(cron.minutes == Set(minutes))
        #expect(cron.hours == Set(hours))
        #expect(cron.daysOfMonth == Set(days))
        #expect(cron.months == Set(months))
        #expect(cron.daysOfWeek == Set(weekdays))
    }

    @Test(arguments: [
        ("", "expected five fields (minute hour day-of-month month day-of-week), got 0 in ''"),
        ("* * * *", "expected five fields (minute hour day-of-month month day-of-week), got 4 in '* * * *'"),
        ("60 * * * *", "invalid minute '60' (expected 0-59)"), ("* 24 * * *", "invalid hour '24' (expected 0-23)"),
        ("* * 0 * *", "invalid day of month '0' (expected 1-31)"), ("* * * 13 *", "invalid month '13' (expected 1-12 or a name)"),
        ("* * * * 8", "invalid day of week '8' (expected 0-7 or a name)"), ("* * * foo *", "invalid month 'foo' (expected 1-12 or a name)"),
        ("*/0 * * * *", "invalid step '0' in the minute field"), ("*/x * * * *", "invalid step 'x' in the minute field"),
        ("1/2/3 * * * *", "invalid step in the minute field '1/2/3'"), ("5-1 * * * *", "backwards range '5-1' in the minute field"),
        ("1,,2 * * * *", "empty list item in the minute field '1,,2'"), ("@often", "expected five fields (minute hour day-of-month month day-of-week), got 1 in '@often'"),
    ])
    func rejectsBadExpressions(_ text: String, _ message: String) {
        #expect(throws: Cron.Failure(message: message)) { try Cron.parse(text) }
    }

    @Test(arguments: [
        ("0 3 * * *", Int64(0), Int64(180)), ("0 3 * * *", 180, 180 + 1440), ("*/15 * * * *", 0, 15), ("*/15 * * * *", 14, 15),
        ("*/15 * * * *", 15, 30), ("59 23 * * *", 0, 1439), ("0 0 * * *", -1, 0), ("* * * * *", 41, 42),
    ] as [(String, Int64, Int64)])
    func nextIsStrictlyAfter(_ text: String, _ after: Int64, _ expected: Int64) throws {
        #expect(try Cron.parse(text).next(after: after) == expected)
    }

    @Test func nextFindsDatesByCalendar() throws {
        let start = minute(1970, 1, 1)                                       // a Thursday
        #expect(try Cron.parse("0 0 1 1 *").next(after: start) == minute(1971, 1, 1))
        #expect(try Cron.parse("0 0 * * 0").next(after: start) == minute(1970, 1, 4), "the first Sunday")
        #expect(try Cron.parse("0 0 * * 7").next(after: start) == minute(1970, 1, 4), "7 is Sunday too")
        #expect(try Cron.parse("0 0 29 2 *").next(after: start) == minute(1972, 2, 29), "a leap day")
        #expect(try Cron.parse("30 12 * * sat").next(after: minute(2026, 11, 21, 12, 30)) == minute(2026, 11, 28, 12, 30))
        #expect(try Cron.parse("0 0 1 * *").next(after: minute(1969, 12, 15)) == minute(1970, 1, 1), "before 1970")
        #expect(try Cron.parse("0 0 31 2 *").next(after: start) == nil, "February 31st never comes")
    }

    @Test func dayOfMonthOrDayOfWeekWhenBothAreRestricted() throws {
        // The 13th or any Friday: from Thursday 1970-01-01, Friday the 2nd comes first.
        let either = try Cron.parse("0 0 13 * fri")
        #expect(either.next(after: minute(1970, 1, 1)) == minute(1970, 1, 2))
        #expect(either.next(after: minute(1970, 1, 9)) == minute(1970, 1, 13), "Tuesday the 13th")
        // Only one restricted: that one alone decides.
        #expect(try Cron.parse("0 0 13 * *").next(after: minute(1970, 1, 1)) == minute(1970, 1, 13))
        #expect(try Cron.parse("0 0 */2 * fri").next(after: minute(1970, 1, 1)) == minute(1970, 1, 2))
    }
}
