import Testing

@testable import ProcdCore

@Suite struct RestartPolicyTests {
    @Test func defaultsAreThoseOfPm2() {
        let policy = RestartPolicy()
        #expect(policy.autorestart)
        #expect(policy.maxRestarts == 16)
        #expect(policy.minUptime == .milliseconds(1000))
        #expect(policy.restartDelay == .zero)
        #expect(policy.expBackoffRestartDelay == nil)
        #expect(policy.stopExitCodes.isEmpty)
        #expect(policy.killSignal == Signals.term)
        #expect(policy.killTimeout == .milliseconds(1600))
        #expect(!policy.waitReady)
        #expect(policy.listenTimeout == .milliseconds(3000))
    }

    @Test func backoffConstantsAreTheSpecs() {
        #expect(RestartPolicy.backoffFactor == 1.5)
        #expect(RestartPolicy.backoffCeiling == .seconds(15))
        #expect(RestartPolicy.backoffResetUptime == .seconds(30))
    }

    @Test(arguments: [(0, nil), (0, 700), (250, nil), (250, 4000)] as [(Int64, Int64?)])
    func withoutBackoffTheDelayIsRestartDelay(restartDelay: Int64, previous: Int64?) {
        var policy = RestartPolicy()
        policy.restartDelay = .milliseconds(restartDelay)
        let next = policy.nextDelay(previous: previous.map { .milliseconds($0) })
        #expect(next.delay == .milliseconds(restartDelay))
        #expect(next.backoff == nil)
    }

    /// (base, previous, expected delay); the remembered backoff is the delay itself.
    @Test(arguments: [
        (100, nil, 100), (100, 100, 150), (100, 150, 225), (100, 225, 338), (100, 338, 507),
        (100, 9_999, 14_999), (100, 10_000, 15_000), (100, 14_000, 15_000), (100, 15_000, 15_000),
        (1_000, nil, 1_000), (1_000, 1_000, 1_500), (1, 1, 2),
    ] as [(Int64, Int64?, Int64)])
    func backoffGrowsByHalfUpToTheCeiling(base: Int64, previous: Int64?, expected: Int64) {
        var policy = RestartPolicy()
        policy.expBackoffRestartDelay = .milliseconds(base)
        let next = policy.nextDelay(previous: previous.map { .milliseconds($0) })
        #expect(next.delay == .milliseconds(expected))
        #expect(next.backoff == .milliseconds(expected))
    }

    @Test func aBaseAboveTheCeilingIsCapped() {
        var policy = RestartPolicy()
        policy.expBackoffRestartDelay = .seconds(20)
        #expect(policy.nextDelay(previous: nil).delay == .seconds(15))
        #expect(policy.nextDelay(previous: .seconds(20)).delay == .seconds(15))
    }

    @Test func backoffTakesPrecedenceOverRestartDelay() {
        var policy = RestartPolicy()
        policy.restartDelay = .seconds(5)
        policy.expBackoffRestartDelay = .milliseconds(100)
        #expect(policy.nextDelay(previous: nil).delay == .milliseconds(100))
    }

    @Test func theSequenceFromTheBaseReachesTheCeilingAndStays() {
        var policy = RestartPolicy()
        policy.expBackoffRestartDelay = .milliseconds(100)
        var previous: Duration?
        var delays: [Int64] = []
        for _ in 0..<16 {
            let next = policy.nextDelay(previous: previous)
            delays.append(next.delay.milliseconds)
            previous = next.backoff
        }
        #expect(delays == [100, 150, 225, 338, 507, 761, 1142, 1713, 2570, 3855, 5783, 8675, 13013, 15000, 15000, 15000])
    }
}
