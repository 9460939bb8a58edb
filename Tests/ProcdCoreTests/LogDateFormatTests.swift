import Testing

@testable import ProcdCore

@Suite struct LogDateFormatTests {
    static let time = CivilTime(year: 2026, month: 3, day: 7, hour: 9, minute: 5, second: 4, millisecond: 42, utcOffset: 3600)

    @Test(arguments: [
        ("YYYY-MM-DD HH:mm:ss", "2026-03-07 09:05:04"), ("YYYY-MM-DDTHH:mm:ss.SSSZ", "2026-03-07T09:05:04.042+01:00"),
        ("YY M D H m s", "26 3 7 9 5 4"), ("ZZ", "+0100"), ("[at] HH:mm", "at 09:05"), ("[YYYY]", "YYYY"),
        ("x/y", "x/y"), ("", ""), ("[unclear YYYY", "[unclear 2026"), ("[at] s", "at 4"),
    ])
    func rendersMomentTokens(_ format: String, _ expected: String) {
        #expect(LogDateFormat.render(format, Self.time) == expected)
    }

    @Test(arguments: [(0, "+00:00"), (-18_000, "-05:00"), (19_800, "+05:30"), (-1800, "-00:30"), (45_900, "+12:45")])
    func rendersOffsets(_ offset: Int, _ expected: String) {
        var t = Self.time
        t.utcOffset = offset
        #expect(LogDateFormat.render("Z", t) == expected)
        #expect(LogDateFormat.render("ZZ", t) == expected.replacingColon())
    }
}

extension String {
    fileprivate func replacingColon() -> String { String(filter { $0 != ":" }) }
}
