import Testing

@testable import ProcdCore

@Suite struct FormatTests {
    @Test(arguments: [
        (Int64(0), "0s"), (999, "0s"), (1000, "1s"), (59_999, "59s"), (60_000, "1m"), (3_599_999, "59m"),
        (3_600_000, "1h"), (86_399_999, "23h"), (86_400_000, "1D"), (10 * 86_400_000, "10D"), (-5000, "0s"),
    ] as [(Int64, String)])
    func uptimeAsPm2ShowsIt(_ milliseconds: Int64, _ expected: String) {
        #expect(Format.uptime(milliseconds: milliseconds) == expected)
    }

    @Test(arguments: [
        (Int64(0), "0b"), (512, "512b"), (1023, "1023b"), (1024, "1.0kb"), (1536, "1.5kb"), (12_595, "12.3kb"),
        (10 << 20, "10.0mb"), (47_815_065, "45.6mb"), ((3 << 30) / 2, "1.5gb"), (2 << 40, "2.0tb"),
        (5 << 50, "5120.0tb"), (-1, "0b"),
    ] as [(Int64, String)])
    func bytesInBinaryUnits(_ n: Int64, _ expected: String) {
        #expect(Format.bytes(n) == expected)
    }

    @Test(arguments: [
        (0.0, "0.0"), (12.34, "12.3"), (12.35, "12.4"), (99.96, "100.0"), (150, "150.0"), (0.04, "0.0"),
        (-1.25, "-1.3"), (-0.5, "-0.5"), (-0.04, "0.0"), (-12.3, "-12.3"),
    ] as [(Double, String)])
    func oneDecimal(_ value: Double, _ expected: String) {
        #expect(Format.oneDecimal(value) == expected)
        #expect(Format.percent(value) == expected + "%")
    }

    static let dates: [(Int64, String)] = [
        (0, "1970-01-01T00:00:00.000Z"),
        (1, "1970-01-01T00:00:00.001Z"),
        (-1, "1969-12-31T23:59:59.999Z"),
        (-1000, "1969-12-31T23:59:59.000Z"),
        (951_782_400_000, "2000-02-29T00:00:00.000Z"),
        (1_709_210_096_789, "2024-02-29T12:34:56.789Z"),
        (1_795_284_880_123, "2026-11-21T18:14:40.123Z"),
        (-2_203_891_200_000, "1900-03-01T00:00:00.000Z"),
        (-14_182_940_000, "1969-07-20T20:17:40.000Z"),
        (-11_670_912_000_001, "1600-02-29T23:59:59.999Z"),
        (4_107_542_400_001, "2100-03-01T00:00:00.001Z"),
        (253_402_300_799_999, "9999-12-31T23:59:59.999Z"),
        (-62_135_596_800_000, "0001-01-01T00:00:00.000Z"),
    ]

    @Test(arguments: dates)
    func iso8601RoundTrips(_ milliseconds: Int64, _ text: String) {
        #expect(Format.iso8601(millisecondsSinceEpoch: milliseconds) == text)
        #expect(Format.parseISO8601(text) == milliseconds)
    }

    @Test func iso8601RoundTripsAcrossCenturies() {
        var ms: Int64 = -2_208_988_800_000                   // 1900-01-01
        while ms < 4_102_444_800_000 {                       // 2100-01-01
            let text = Format.iso8601(millisecondsSinceEpoch: ms)
            #expect(Format.parseISO8601(text) == ms, "\(text)")
            if Format.parseISO8601(text) != ms { return }
            ms += 3_196_800_123                              // about 37 days, at every time of day
        }
    }

    @Test func civilDatesAndDayNumbersAgree() {
        #expect(Format.days(year: 1970, month: 1, day: 1) == 0)
        #expect(Format.civil(days: -1) == (1969, 12, 31))
        #expect(Format.civil(days: 11_016) == (2000, 2, 29))
        #expect(Format.days(year: 2001, month: 3, day: 1) - Format.days(year: 2001, month: 2, day: 28) == 1)
        #expect(Format.days(year: 2000, month: 3, day: 1) - Format.days(year: 2000, month: 2, day: 28) == 2)
        for day in stride(from: Int64(-800_000), through: 800_000, by: 997) {
            let date = Format.civil(days: day)
            #expect(Format.days(year: date.year, month: date.month, day: date.day) == day)
        }
    }

    @Test func parseISO8601WithoutMilliseconds() {
        #expect(Format.parseISO8601("2026-11-21T18:14:40Z") == 1_795_284_880_000)
    }

    @Test(arguments: [
        "", "2024-01-01", "2024-01-01T00:00:00.000", "2024-01-01 00:00:00Z", "abcd-01-01T00:00:00.000Z",
        "2024-01-01T00:00Z", "yesterday",
    ])
    func parseISO8601RejectsOtherText(_ text: String) {
        #expect(Format.parseISO8601(text) == nil)
    }
}
