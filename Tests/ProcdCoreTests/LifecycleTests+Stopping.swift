import Testing

@testable import ProcdCore

/// Stop, restart, delete and reset: the requests a user sends.
extension LifecycleTests {
    @Test(arguments: [(Signals.term, 1600), (2, 500), (10, 0)] as [(Int32, Int64)])
    func stopSendsTheKillSignalAndWakesAtKillTimeout(signal: Int32, timeout: Int64) {
        var d = Driver {
            $0.killSignal = signal
            $0.killTimeout = .milliseconds(timeout)
        }
        d.bringOnline()
        let effects = d.send(.stop, after: 100)
        #expect(effects == [.signalGroup(signal), .wake(at: tick(100 + timeout))])
        #expect(d.app.phase == .stopping(killAt: tick(100 + timeout), leaderExited: false, then: .rest))
        #expect(d.app.lastReason == "stop requested")
        #expect(d.send(.exited(.signal(signal), groupAlive: false), after: 0) == [])
        #expect(d.app.phase == .stopped)
        #expect(d.app.lastExit == .signal(signal))
        #expect(d.app.restarts == 0)
    }

    @Test func stopWhileLaunchingSignalsToo() {
        var d = Driver()
        d.send(.start)
        #expect(d.send(.stop) == [.signalGroup(Signals.term), .wake(at: tick(1600))])
        #expect(d.app.status == .stopping)
    }

    @Test func killTimeoutSendsSigkillToTheGroup() {
        var d = Driver()
        d.bringOnline()
        d.send(.stop)
        #expect(d.send(.timer, after: 1599) == [], "a wake-up before kill_timeout is stale")
        #expect(d.app.phase == .stopping(killAt: tick(1600), leaderExited: false, then: .rest))
        let effects = d.send(.timer, after: 1)
        #expect(actions(effects) == [.signalGroup(Signals.kill)])
        #expect(logLines(effects) == ["still running after kill_timeout (1600 ms); sending SIGKILL to the group"])
        #expect(d.app.phase == .stopping(killAt: nil, leaderExited: false, then: .rest))
        #expect(d.send(.timer, after: 5000) == [], "SIGKILL is sent once")
        // After SIGKILL nothing of the group can outlive it: the leader's exit ends the stop.
        #expect(d.send(.exited(.signal(9), groupAlive: true)) == [])
        #expect(d.app.phase == .stopped)
    }

    @Test func leaderExitWithTheGroupAliveWaitsForGroupGone() {
        var d = Driver()
        d.bringOnline()
        d.send(.stop)
        #expect(d.send(.exited(.code(0), groupAlive: true), after: 10) == [])
        #expect(d.app.phase == .stopping(killAt: tick(1600), leaderExited: true, then: .rest))
        #expect(!d.app.isRunning)
        #expect(d.send(.groupGone, after: 10) == [])
        #expect(d.app.phase == .stopped)
    }

    @Test func leaderExitWithTheGroupAliveThenKillTimeoutFinishesTheStop() {
        var d = Driver()
        d.bringOnline()
        d.send(.restart)
        d.send(.exited(.code(0), groupAlive: true), after: 10)
        let effects = d.send(.timer, after: 1590)
        #expect(actions(effects) == [.signalGroup(Signals.kill), .spawn])
        #expect(d.app.status == .launching)
        #expect(d.app.restarts == 1)
    }

    @Test func groupGoneOutsideAStopIsIgnored() {
        var d = Driver()
        #expect(d.send(.groupGone) == [])
        d.bringOnline()
        #expect(d.send(.groupGone) == [])
        #expect(d.app.status == .online)
        d.send(.stop)
        #expect(d.send(.groupGone) == [], "the leader is still alive")
        #expect(d.app.status == .stopping)
    }

    @Test func repeatedStopsAreHarmless() {
        var d = Driver()
        #expect(d.send(.stop) == [])
        #expect(d.app.status == .stopped)
        d.bringOnline()
        d.send(.stop, after: 10)
        #expect(d.send(.stop, after: 10) == [])
        #expect(d.app.phase == .stopping(killAt: tick(1610), leaderExited: false, then: .rest))
        d.send(.exited(.code(0), groupAlive: false))
        #expect(d.send(.stop) == [])
        #expect(d.app.phase == .stopped)

        var errored = Driver()
        errored.send(.start)
        errored.send(.spawnFailed("x"))
        #expect(errored.send(.stop) == [])
        #expect(errored.app.status == .errored)
    }

    @Test func exitsOutsideARunAreIgnored() {
        var d = Driver { $0.restartDelay = .milliseconds(500) }
        #expect(d.send(.exited(.code(1), groupAlive: false)) == [])
        #expect(d.app.status == .stopped)
        d.bringOnline()
        d.crash(after: 10)
        #expect(d.send(.exited(.code(1), groupAlive: false)) == [])
        #expect(d.app.phase == .waiting(until: tick(510)))
    }

    @Test func restartOfAnOnlineProcessStopsThenSpawns() {
        var d = Driver()
        d.bringOnline()
        #expect(d.send(.restart, after: 100) == [.signalGroup(Signals.term), .wake(at: tick(1700))])
        #expect(d.app.phase == .stopping(killAt: tick(1700), leaderExited: false, then: .restart))
        #expect(d.app.restarts == 0, "counted when the new process is spawned")
        #expect(d.send(.exited(.signal(15), groupAlive: false), after: 50) == [.spawn])
        #expect(d.app.phase == .launching(readyBy: nil))
        #expect(d.app.restarts == 1)
        #expect(d.app.lastReason == "restart requested")
    }

    @Test(arguments: ["stopped", "errored", "waiting"])
    func restartOfAProcessThatIsNotRunningSpawnsAtOnce(_ from: String) {
        var d = Driver {
            $0.maxRestarts = 0
            $0.restartDelay = .milliseconds(500)
        }
        switch from {
        case "stopped": break
        case "errored":
            d.bringOnline()
            d.crash(after: 10)                             // max_restarts 0: gives up at once
        default:
            d.app.policy.maxRestarts = 5
            d.bringOnline()
            d.crash(after: 10)
        }
        #expect(d.app.status.rawValue == from)
        let restartsBefore = d.app.restarts
        #expect(d.send(.restart, after: 10) == [.spawn])
        #expect(d.app.status == .launching)
        #expect(d.app.restarts == restartsBefore + 1)
        #expect(d.app.unstableRestarts == 0)
    }

    @Test func restartClearsTheUnstableStreak() {
        var d = Driver { $0.maxRestarts = 1 }
        d.bringOnline()
        d.crash(after: 10)
        d.send(.spawned)
        #expect(d.app.unstableRestarts == 1)
        d.send(.restart)
        #expect(d.app.unstableRestarts == 0)
        d.send(.exited(.code(0), groupAlive: false))
        d.send(.spawned)
        #expect(actions(d.crash(after: 10)) == [.spawn], "one unstable restart is allowed again")
    }

    @Test func restartsCountsEveryRestartManualAndAutomatic() {
        var d = Driver { $0.restartDelay = .milliseconds(100) }
        d.bringOnline()
        d.crash(after: 2000)
        d.send(.timer, after: 100)                         // automatic, after the delay
        #expect(d.app.restarts == 1)
        d.send(.spawned)
        d.send(.restart, after: 10)                        // manual, online
        d.send(.exited(.code(0), groupAlive: false))
        #expect(d.app.restarts == 2)
        d.send(.spawned)
        d.send(.stop)
        d.send(.exited(.code(0), groupAlive: false))
        d.send(.restart)                                   // manual, stopped
        #expect(d.app.restarts == 3)
        d.app.policy.restartDelay = .zero
        d.send(.spawned)
        d.crash(after: 10)                                 // automatic, at once
        #expect(d.app.restarts == 4)
        #expect(d.app.unstableRestarts == 1)
    }

    @Test func requestsDuringAStopChangeWhatFollowsIt() {
        var d = Driver()
        d.bringOnline()
        d.send(.stop)
        #expect(d.send(.start) == [])
        #expect(d.app.phase == .stopping(killAt: tick(1600), leaderExited: false, then: .restart))
        #expect(d.send(.stop) == [])
        #expect(d.app.phase == .stopping(killAt: tick(1600), leaderExited: false, then: .rest))
        #expect(d.send(.restart) == [])
        #expect(d.app.phase == .stopping(killAt: tick(1600), leaderExited: false, then: .restart))
        #expect(d.send(.delete) == [])
        #expect(d.app.phase == .stopping(killAt: tick(1600), leaderExited: false, then: .remove))
        for request in [Lifecycle.Event.start, .restart, .stop] {
            #expect(d.send(request) == [])
            #expect(d.app.phase == .stopping(killAt: tick(1600), leaderExited: false, then: .remove),
                    "a delete is final")
        }
        #expect(d.send(.exited(.code(0), groupAlive: false)) == [.remove])
    }

    @Test func deleteOfARunningProcessStopsItFirst() {
        var d = Driver()
        d.bringOnline()
        #expect(d.send(.delete) == [.signalGroup(Signals.term), .wake(at: tick(1600))])
        #expect(d.app.phase == .stopping(killAt: tick(1600), leaderExited: false, then: .remove))
        #expect(d.send(.exited(.code(0), groupAlive: true)) == [])
        #expect(d.send(.groupGone) == [.remove])
        #expect(d.app.status == .stopped)
    }

    @Test(arguments: ["stopped", "errored", "waiting"])
    func deleteOfAProcessThatIsNotRunningRemovesIt(_ from: String) {
        var d = Driver { $0.restartDelay = .milliseconds(500) }
        switch from {
        case "stopped": break
        case "errored":
            d.send(.start)
            d.send(.spawnFailed("x"))
        default:
            d.bringOnline()
            d.crash(after: 10)
        }
        #expect(d.app.status.rawValue == from)
        #expect(d.send(.delete) == [.remove])
    }

    @Test func resetClearsTheCountersAndTheBackoff() {
        var d = Driver {
            $0.expBackoffRestartDelay = .milliseconds(100)
            $0.maxRestarts = 3
        }
        d.bringOnline()
        for _ in 0..<3 {                                   // delays 100, 150, 225
            d.crash(after: 10)
            d.send(.timer, after: 1000)
            d.send(.spawned)
        }
        #expect(d.app.restarts == 3)
        #expect(d.app.unstableRestarts == 3)
        #expect(d.send(.reset) == [])
        #expect(d.app.restarts == 0)
        #expect(d.app.unstableRestarts == 0)
        #expect(d.app.status == .online, "reset changes no phase")
        let exitAt = d.now + .milliseconds(10)
        d.crash(after: 10)
        #expect(d.app.phase == .waiting(until: exitAt + .milliseconds(100)), "backoff starts over")
        #expect(d.app.unstableRestarts == 1, "the streak starts over: not errored")
    }

    @Test func startAfterGivingUpStartsTheBackoffOver() {
        var d = Driver {
            $0.expBackoffRestartDelay = .milliseconds(100)
            $0.maxRestarts = 2
        }
        d.bringOnline()
        for _ in 0..<2 {                                   // delays 100, 150
            d.crash(after: 10)
            d.send(.timer, after: 1000)
            d.send(.spawned)
        }
        d.crash(after: 10)
        #expect(d.app.status == .errored)
        #expect(d.send(.start, after: 10) == [.spawn])
        #expect(d.app.unstableRestarts == 0)
        d.send(.spawned)
        let exitAt = d.now + .milliseconds(10)
        d.crash(after: 10)
        #expect(d.app.phase == .waiting(until: exitAt + .milliseconds(100)))
    }
}
