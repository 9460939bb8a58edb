import Testing

@testable import ProcdCore

/// A lifecycle whose readiness a probe decides (`readiness_probe`).
@Suite struct LifecycleProbeTests {
    private func probed() -> Driver {
        Driver {
            $0.waitReady = true
            $0.awaitsProbe = true
            $0.listenTimeout = .milliseconds(2000)
        }
    }

    @Test func onlyThePassingProbeMakesItOnline() {
        var d = probed()
        d.send(.start)
        d.send(.spawned, after: 10)
        let signal = d.send(.ready, after: 100)
        #expect(actions(signal) == [])
        #expect(logLines(signal) == ["a readiness signal came; the readiness probe decides when it is online"])
        #expect(d.app.status == .launching, "READY=1 does not overrule the probe")
        #expect(d.send(.probePassed, after: 100) == [])
        #expect(d.app.phase == .online(since: tick(210)))
        #expect(d.send(.ready, after: 1) == [], "a signal once online changes nothing")
    }

    @Test func aProbeThatNeverPassesIsAFailedStartThatSaysSo() {
        var d = probed()
        d.send(.start)
        d.send(.spawned)
        let effects = d.send(.timer, after: 2000)
        #expect(logLines(effects) == ["the readiness probe did not pass within 2000 ms; stopping it as a failed start"])
        #expect(d.app.status == .stopping)
    }

    @Test(arguments: [(ProcessStatus.launching, [ProcessEvent.Kind.ready, .online]), (.online, [])])
    func theReadyEventComesWithOnline(_ before: ProcessStatus, _ expected: [ProcessEvent.Kind]) {
        var d = probed()
        d.send(.start)
        d.send(.spawned)
        if before == .online {
            d.send(.probePassed)
        } else {
            d.send(.ready)
            #expect(ProcessEvent.kinds(for: .ready, from: .launching, to: d.app).isEmpty, "a signal the probe overrules is no event")
        }
        let status = d.app.status
        d.send(.probePassed)
        #expect(ProcessEvent.kinds(for: .probePassed, from: status, to: d.app) == expected)
    }
}
