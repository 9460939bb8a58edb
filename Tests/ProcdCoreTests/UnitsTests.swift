import Testing

@testable import ProcdCore

@Suite struct UnitsTests {
    static let kibi: Int64 = 1 << 10
    static let mebi: Int64 = 1 << 20

    @Test(arguments: [
        ("1048576", 1_048_576), ("0", 0), ("512K", 512 * kibi), ("512k", 512 * kibi), ("512KB", 512 * kibi),
        ("200M", 200 * mebi), ("200mb", 200 * mebi), ("1G", 1_073_741_824), ("2T", 2_199_023_255_552),
        (" 10M ", 10 * mebi), ("7B", 7), ("8388607T", 9_223_370_937_343_148_032),
    ] as [(String, Int64)])
    func parsesSizes(_ text: String, _ expected: Int64) {
        #expect(Units.bytes(text) == expected)
    }

    @Test(arguments: ["", "M", "KB", "B", "-1", "-1M", "1.5G", "12 M", "ten", "1P", "8388608T", "99999999999999999999"])
    func rejectsBadSizes(_ text: String) {
        #expect(Units.bytes(text) == nil)
    }

    @Test(arguments: [
        ("1500", Duration.milliseconds(1500)), ("0", .zero), ("100ms", .milliseconds(100)), ("30s", .seconds(30)),
        ("1.5s", .milliseconds(1500)), ("2m", .seconds(120)), ("1h", .seconds(3600)), ("1d", .seconds(86_400)),
        (" 2S ", .seconds(2)), ("0.5ms", .zero), ("1e3s", .seconds(1000)),
    ] as [(String, Duration)])
    func parsesDurations(_ text: String, _ expected: Duration) {
        #expect(Units.duration(text) == expected)
    }

    @Test(arguments: ["", "s", "ms", "-5", "-5s", "1.5", "ten", "5 s", "inf s", "nan", "infs", "1e30s", "1e300d", "99999999999999999999"])
    func rejectsBadDurations(_ text: String) {
        #expect(Units.duration(text) == nil)
    }
}
