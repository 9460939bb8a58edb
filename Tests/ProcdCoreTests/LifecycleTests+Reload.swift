import Testing

@testable import ProcdCore

/// Reload and announced exits (the replacement starts while the old process still runs),
/// and restarts the daemon decides (watchdog, health, memory, cron, watch).
extension LifecycleTests {
    @Test func reloadStartsTheReplacementThenStopsTheOldOneOnceOnline() {
        var d = Driver()
        d.bringOnline()
        #expect(d.send(.reload, after: 100) == [.retire, .spawn])
        #expect(d.app.phase == .launching(readyBy: nil))
        #expect(d.app.hasRetiree)
        #expect(d.app.restarts == 1, "a reload is a restart")
        #expect(d.app.lastReason == "reload requested")
        #expect(d.send(.spawned, after: 5) == [.stopRetired])
        #expect(d.app.phase == .online(since: tick(105)))
        #expect(!d.app.hasRetiree)
        #expect(d.send(.stop) == [.signalGroup(Signals.term), .wake(at: tick(1705))], "stopRetired is sent once")
    }

    @Test func reloadWithWaitReadyKeepsTheOldOneUntilReady() {
        var d = Driver { $0.waitReady = true }
        d.send(.start)
        d.send(.spawned)
        d.send(.ready)
        #expect(d.send(.reload, after: 10) == [.retire, .spawn])
        #expect(d.send(.spawned) == [.wake(at: tick(3010))])
        #expect(d.app.hasRetiree)
        #expect(d.send(.ready, after: 200) == [.stopRetired])
        #expect(d.app.status == .online)
    }

    @Test func aReplacementThatCannotStartStillStopsTheOldOne() {
        var d = Driver()
        d.bringOnline()
        d.send(.reload)
        let effects = d.send(.spawnFailed("Permission denied"))
        #expect(actions(effects) == [.stopRetired])
        #expect(d.app.status == .errored)
        #expect(!d.app.hasRetiree)
    }

    @Test func reloadClearsTheUnstableStreak() {
        var d = Driver { $0.maxRestarts = 3 }
        d.bringOnline()
        d.crash(after: 10)
        d.send(.spawned)
        #expect(d.app.unstableRestarts == 1)
        d.send(.reload)
        #expect(d.app.unstableRestarts == 0)
    }

    @Test(arguments: ["stopped", "errored", "waiting"])
    func reloadOfAProcessThatIsNotRunningIsAStart(_ from: String) {
        var d = Driver {
            $0.restartDelay = .milliseconds(500)
            $0.maxRestarts = from == "errored" ? 0 : 5
        }
        if from != "stopped" {
            d.bringOnline()
            d.crash(after: 10)
        }
        #expect(d.app.status.rawValue == from)
        let before = d.app.restarts
        #expect(d.send(.reload) == [.spawn])
        #expect(!d.app.hasRetiree)
        #expect(d.app.restarts == before + 1)
    }

    @Test func reloadDuringAStopBecomesARestart() {
        var d = Driver()
        d.bringOnline()
        d.send(.stop)
        #expect(d.send(.reload) == [])
        #expect(d.app.phase == .stopping(killAt: tick(1600), leaderExited: false, then: .restart))
        d.send(.delete)
        #expect(d.send(.reload) == [])
        #expect(d.app.phase == .stopping(killAt: tick(1600), leaderExited: false, then: .remove))
    }

    @Test func anAnnouncedExitStartsTheReplacementAtOnce() {
        var d = Driver()
        d.bringOnline()
        let effects = d.send(.exiting, after: 50)
        #expect(actions(effects) == [.retire, .spawn])
        #expect(logLines(effects) == ["announced its exit; starting its replacement now"])
        #expect(d.app.restarts == 1)
        #expect(d.app.lastReason == "announced its exit")
        #expect(d.send(.spawned) == [.stopRetired])
    }

    @Test(arguments: ["stopped", "stopping", "waiting"])
    func anAnnouncedExitOutsideARunIsIgnored(_ from: String) {
        var d = Driver { $0.restartDelay = .milliseconds(500) }
        switch from {
        case "stopped": break
        case "stopping":
            d.bringOnline()
            d.send(.stop)
        default:
            d.bringOnline()
            d.crash(after: 10)
        }
        let phase = d.app.phase
        #expect(d.send(.exiting) == [])
        #expect(d.app.phase == phase)
        #expect(d.app.restarts == 0)
    }

    @Test func anAutomaticRestartOfARunningProcessStopsItWithTheReason() {
        var d = Driver()
        d.bringOnline()
        let effects = d.send(.autoRestart("memory 300mb above max_memory_restart 200mb"), after: 10)
        #expect(effects == [.log("restarting: memory 300mb above max_memory_restart 200mb"),
                            .signalGroup(Signals.term), .wake(at: tick(1610))])
        #expect(d.app.phase == .stopping(killAt: tick(1610), leaderExited: false, then: .restart))
        #expect(d.app.lastReason == "memory 300mb above max_memory_restart 200mb")
        #expect(d.send(.exited(.signal(15), groupAlive: false)) == [.spawn])
        #expect(d.app.restarts == 1)
    }

    @Test(arguments: ["stopped", "errored", "waiting"])
    func anAutomaticRestartOfAProcessThatIsNotRunningStartsIt(_ from: String) {
        var d = Driver {
            $0.restartDelay = .milliseconds(500)
            $0.maxRestarts = from == "errored" ? 0 : 5
        }
        if from != "stopped" {
            d.bringOnline()
            d.crash(after: 10)
        }
        #expect(d.app.status.rawValue == from)
        let before = d.app.restarts
        #expect(d.send(.autoRestart("cron 0 3 * * *")) == [.log("starting: cron 0 3 * * *"), .spawn])
        #expect(d.app.restarts == before + 1)
    }

    @Test func anAutomaticRestartDuringAStopBecomesARestartButNotAfterADelete() {
        var d = Driver()
        d.bringOnline()
        d.send(.stop)
        #expect(d.send(.autoRestart("watch")) == [])
        #expect(d.app.phase == .stopping(killAt: tick(1600), leaderExited: false, then: .restart))
        d.send(.delete)
        #expect(d.send(.autoRestart("watch")) == [])
        #expect(d.app.phase == .stopping(killAt: tick(1600), leaderExited: false, then: .remove))
    }
}
