import Testing

@testable import ProcdCore

@Suite struct LifecycleCodingTests {
    /// Lifecycles in every phase, with counters, backoff, reasons and exits set, built by real events.
    static var samples: [(String, Lifecycle)] {
        var out: [(String, Lifecycle)] = []
        var d = Driver {
            $0.expBackoffRestartDelay = .milliseconds(100)
            $0.waitReady = true
        }
        out.append(("stopped", d.app))
        d.send(.start, after: 1_000_000)
        out.append(("launching", d.app))
        d.send(.spawned, after: 3)
        out.append(("launching with a deadline", d.app))
        d.send(.ready, after: 7)
        out.append(("online", d.app))
        d.send(.exited(.signal(11), groupAlive: false), after: 20)
        out.append(("waiting with backoff", d.app))
        d.send(.timer, after: 100)
        d.send(.spawned)
        d.send(.ready)
        d.send(.reload)
        out.append(("launching with a retiree", d.app))
        d.send(.spawned)
        d.send(.ready)
        d.send(.restart, after: 5)
        out.append(("stopping to restart", d.app))
        d.send(.exited(.code(0), groupAlive: true))
        out.append(("stopping, leader gone", d.app))
        d.send(.groupGone)
        d.send(.spawned)
        d.send(.timer, after: 3000)
        out.append(("stopping a failed start", d.app))
        d.send(.timer, after: 1600)
        out.append(("stopping after SIGKILL", d.app))
        d.send(.delete)
        out.append(("stopping to remove", d.app))
        var errored = Driver()
        errored.send(.start)
        errored.send(.spawnFailed("No such file or directory"))
        out.append(("errored", errored.app))
        return out
    }

    @Test func roundTripsInEveryPhase() throws {
        for (label, lifecycle) in Self.samples {
            let back = Lifecycle(json: lifecycle.json, policy: lifecycle.policy)
            #expect(back == lifecycle, "\(label)")
            let reparsed = Lifecycle(json: try JSONParser.parse(lifecycle.json.serialized()), policy: lifecycle.policy)
            #expect(reparsed == lifecycle, "\(label) through text")
        }
        #expect(Set(Self.samples.map { $0.1.status }) == Set(ProcessStatus.allCases))
    }

    @Test func ticksOfALongUptimeSurvive() {
        var d = Driver()
        d.now = Tick(.seconds(200 * 86_400))                     // a monotonic clock 200 days after boot
        d.bringOnline()
        let back = Lifecycle(json: d.app.json, policy: d.app.policy)
        #expect(back.phase == d.app.phase)
        #expect(back.startedAt == d.app.startedAt)
    }

    @Test(arguments: ["", "{}", "[]", #"{"phase":"dancing","restarts":"x"}"#])
    func unknownFormsFallBackToStopped(_ text: String) {
        let json = (try? JSONParser.parse(text)) ?? .null
        let lifecycle = Lifecycle(json: json, policy: RestartPolicy())
        #expect(lifecycle == Lifecycle(policy: RestartPolicy()))
    }

    @Test func shouldRunAfterARestoreWhenItWasRunningOrAboutTo() {
        let expected: [String: Bool] = [
            "stopped": false, "launching": true, "launching with a deadline": true, "online": true,
            "waiting with backoff": true, "launching with a retiree": true, "stopping to restart": true,
            "stopping, leader gone": true, "stopping a failed start": true, "stopping after SIGKILL": true,
            "stopping to remove": false, "errored": false,
        ]
        for (label, lifecycle) in Self.samples {
            #expect(lifecycle.shouldRun == expected[label], "\(label)")
        }
    }

    @Test func settlingAfterARestoreRestsTheSlotAndKeepsCounters() {
        for (label, lifecycle) in Self.samples {
            var settled = lifecycle
            settled.settleAfterRestore()
            #expect(settled.status == (lifecycle.status == .errored ? .errored : .stopped), "\(label)")
            #expect(settled.startedAt == nil)
            #expect(!settled.hasRetiree)
            #expect(settled.restarts == lifecycle.restarts)
            #expect(settled.unstableRestarts == lifecycle.unstableRestarts)
        }
    }
}
