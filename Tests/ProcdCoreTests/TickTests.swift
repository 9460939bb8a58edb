import Testing

@testable import ProcdCore

@Suite struct TickTests {
    @Test func arithmeticAndOrder() {
        let a = Tick(.milliseconds(1500))
        #expect(a.nanoseconds == 1_500_000_000)
        #expect(a + .milliseconds(500) == Tick(.seconds(2)))
        #expect(Tick(.seconds(2)) - a == .milliseconds(500))
        #expect(a - Tick(.seconds(2)) == .milliseconds(-500))
        #expect(Tick.zero < a)
        #expect(!(a < a))
        #expect([Tick(.seconds(3)), .zero, a].sorted() == [.zero, a, Tick(.seconds(3))])
        #expect(Tick(nanoseconds: 42) == Tick(.nanoseconds(42)))
    }

    @Test func descriptionShowsMilliseconds() {
        #expect(Tick(.milliseconds(1234)).description == "Tick(1234ms)")
        #expect(Tick.zero.description == "Tick(0ms)")
    }

    @Test(arguments: [
        (Duration.zero, Int64(0)), (.nanoseconds(1), 1), (.milliseconds(1), 1_000_000), (.seconds(-2), -2_000_000_000),
        (.seconds(Int64.max), .max), (.seconds(Int64.min), .min), (.microseconds(1.5), 1_500),
    ])
    func durationNanosecondsSaturate(_ duration: Duration, _ expected: Int64) {
        #expect(duration.nanoseconds == expected)
    }

    @Test(arguments: [
        (Duration.milliseconds(1999), Int64(1999)), (.microseconds(1999), 1), (.nanoseconds(999_999), 0), (.seconds(3), 3000),
    ])
    func millisecondsTruncate(_ duration: Duration, _ expected: Int64) {
        #expect(duration.milliseconds == expected)
    }

    @Test(arguments: [(Int64(100), 1.5, Int64(150)), (225, 1.5, 338), (507, 1.5, 761), (3, 0.5, 2), (1000, 0, 0)])
    func scaledRoundsToWholeMilliseconds(_ ms: Int64, _ factor: Double, _ expected: Int64) {
        #expect(Duration.milliseconds(ms).scaled(by: factor) == .milliseconds(expected))
    }
}
