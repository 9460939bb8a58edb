import Testing

@testable import ProcdCore

/// Swift Testing has an `ExitStatus` of its own (for exit tests); these tests mean ours.
typealias ExitStatus = ProcdCore.ExitStatus

/// A tick this many milliseconds after the origin.
func tick(_ milliseconds: Int64) -> Tick { Tick(.milliseconds(milliseconds)) }

/// The effects other than log lines: what the daemon must actually do.
func actions(_ effects: [Lifecycle.Effect]) -> [Lifecycle.Effect] {
    effects.filter { if case .log = $0 { false } else { true } }
}

/// The log lines among the effects.
func logLines(_ effects: [Lifecycle.Effect]) -> [String] {
    effects.compactMap { if case .log(let text) = $0 { text } else { nil } }
}

/// A lifecycle driven by a hand-moved clock that starts at zero.
struct Driver {
    var app: Lifecycle
    var now = Tick.zero

    init(_ configure: (inout RestartPolicy) -> Void = { _ in }) {
        var policy = RestartPolicy()                 // min_uptime 1 s, kill_timeout 1.6 s, no delay
        configure(&policy)
        app = Lifecycle(policy: policy)
    }

    /// Moves the clock forward by `milliseconds`, then delivers `event`.
    @discardableResult
    mutating func send(_ event: Lifecycle.Event, after milliseconds: Int64 = 0) -> [Lifecycle.Effect] {
        now = now + .milliseconds(milliseconds)
        return app.handle(event, at: now)
    }

    /// start + spawned: the process is online at the current tick.
    mutating func bringOnline() {
        send(.start)
        send(.spawned)
    }

    /// An unasked exit after `uptime` ms of running.
    @discardableResult
    mutating func crash(after uptime: Int64, _ status: ExitStatus = .code(1)) -> [Lifecycle.Effect] {
        send(.exited(status, groupAlive: false), after: uptime)
    }
}

struct ExitCase: Sendable, CustomTestStringConvertible {
    var testDescription: String
    var autorestart = true
    var stopExitCodes: [Int32] = []
    var maxRestarts = 16
    var restartDelay: Int64 = 0
    var exit: ExitStatus = .code(1)
    var uptime: Int64
    var status: ProcessStatus
    var unstable: Int
    var actions: [Lifecycle.Effect]
}

@Suite struct LifecycleTests {
    @Test func startSpawnsThenSpawnedIsOnline() {
        var d = Driver()
        #expect(d.app.status == .stopped)
        #expect(d.send(.start) == [.spawn])
        #expect(d.app.phase == .launching(readyBy: nil))
        #expect(d.app.isRunning)
        #expect(d.send(.spawned, after: 5) == [])
        #expect(d.app.phase == .online(since: tick(5)))
        #expect(d.app.startedAt == tick(5))
        #expect(d.app.restarts == 0)
    }

    @Test func startWhileRunningDoesNotSpawnTwice() {
        var d = Driver()
        d.send(.start)
        #expect(d.send(.start) == [])
        d.send(.spawned)
        #expect(d.send(.start) == [])
        #expect(d.app.phase == .online(since: .zero))
    }

    static let exitCases: [ExitCase] = [
        ExitCase(testDescription: "autorestart off, code 1", autorestart: false, uptime: 5000,
                 status: .stopped, unstable: 0, actions: []),
        ExitCase(testDescription: "autorestart off, code 0", autorestart: false, exit: .code(0), uptime: 10,
                 status: .stopped, unstable: 0, actions: []),
        ExitCase(testDescription: "autorestart off, killed", autorestart: false, exit: .signal(9), uptime: 10,
                 status: .stopped, unstable: 0, actions: []),
        ExitCase(testDescription: "code listed in stop_exit_codes", stopExitCodes: [0, 3], exit: .code(3), uptime: 10,
                 status: .stopped, unstable: 0, actions: []),
        ExitCase(testDescription: "code not listed in stop_exit_codes", stopExitCodes: [3], exit: .code(4), uptime: 10,
                 status: .launching, unstable: 1, actions: [.spawn]),
        ExitCase(testDescription: "a signal is not an exit code", stopExitCodes: [9], exit: .signal(9), uptime: 10,
                 status: .launching, unstable: 1, actions: [.spawn]),
        ExitCase(testDescription: "exit within min_uptime", uptime: 999, status: .launching, unstable: 1, actions: [.spawn]),
        ExitCase(testDescription: "exit at min_uptime is stable", uptime: 1000, status: .launching, unstable: 0,
                 actions: [.spawn]),
        ExitCase(testDescription: "max_restarts 0 gives up at once", maxRestarts: 0, uptime: 10,
                 status: .errored, unstable: 0, actions: []),
        ExitCase(testDescription: "max_restarts 0, stable exit restarts", maxRestarts: 0, uptime: 2000,
                 status: .launching, unstable: 0, actions: [.spawn]),
        ExitCase(testDescription: "restart_delay waits", restartDelay: 500, uptime: 100,
                 status: .waiting, unstable: 1, actions: [.wake(at: tick(600))]),
    ]

    @Test(arguments: exitCases)
    func restartDecision(_ c: ExitCase) {
        var d = Driver {
            $0.autorestart = c.autorestart
            $0.stopExitCodes = c.stopExitCodes
            $0.maxRestarts = c.maxRestarts
            $0.restartDelay = .milliseconds(c.restartDelay)
        }
        d.bringOnline()
        let effects = d.crash(after: c.uptime, c.exit)
        #expect(d.app.status == c.status)
        #expect(d.app.unstableRestarts == c.unstable)
        #expect(actions(effects) == c.actions)
        #expect(logLines(effects).count == 1, "every decision is logged with its reason")
        #expect(d.app.lastExit == c.exit)
        #expect(d.app.restarts == (c.actions == [.spawn] ? 1 : 0))
    }

    @Test func decisionsNameTheirReason() {
        var off = Driver { $0.autorestart = false }
        off.bringOnline()
        #expect(logLines(off.crash(after: 10)) == ["exited (exit code 1); autorestart is off"])
        #expect(off.app.lastReason == "exited (exit code 1); autorestart is off")

        var listed = Driver { $0.stopExitCodes = [3] }
        listed.bringOnline()
        #expect(logLines(listed.crash(after: 10, .code(3))) == ["exited with exit code 3, listed in stop_exit_codes"])

        var crashing = Driver()
        crashing.bringOnline()
        #expect(logLines(crashing.crash(after: 10, .signal(11))) == ["crashed (signal SIGSEGV); restarting"])

        // A clean exit is not a crash, in the log line and in the reason the app shows.
        var clean = Driver()
        clean.bringOnline()
        #expect(logLines(clean.crash(after: 10, .code(0))) == ["exited (exit code 0); restarting"])
        #expect(clean.app.lastReason == "exited (exit code 0)")
    }

    @Test func givingUpOnCleanExitsSaysExitedNotCrashed() {
        var d = Driver { $0.maxRestarts = 2 }
        _ = d.send(.start)
        var last: [Lifecycle.Effect] = []
        for _ in 0..<3 {
            _ = d.send(.spawned)
            last = d.crash(after: 10, .code(0))
            if d.app.status == .waiting { _ = d.send(.timer, after: 100_000) }
        }
        #expect(d.app.status == .errored)
        #expect(logLines(last).first?.hasPrefix("exited (exit code 0) 3 times in a row within min_uptime") == true, "\(logLines(last))")
    }

    @Test(arguments: [0, 1, 2, 5, 16])
    func maxRestartsMeansNUnstableRestartsThenErrored(_ maxRestarts: Int) {
        var d = Driver { $0.maxRestarts = maxRestarts }
        var runs = 0
        var last: [Lifecycle.Effect] = d.send(.start)
        while actions(last) == [.spawn] {
            runs += 1
            #expect(runs <= maxRestarts + 1, "ran more often than max_restarts allows")
            if runs > maxRestarts + 1 { break }
            d.send(.spawned, after: 1)
            last = d.crash(after: 100)
        }
        #expect(runs == maxRestarts + 1)
        #expect(d.app.status == .errored)
        #expect(d.app.unstableRestarts == maxRestarts)
        #expect(d.app.restarts == maxRestarts)
        #expect(actions(last) == [])
        let reason = logLines(last).first ?? ""
        #expect(reason.contains("\(maxRestarts + 1) times in a row"))
        #expect(reason.contains("max_restarts (\(maxRestarts))"))
        #expect(d.app.lastReason == reason)
    }

    @Test func aStableRunResetsTheUnstableStreak() {
        var d = Driver { $0.maxRestarts = 2 }
        d.bringOnline()
        d.crash(after: 10)
        d.send(.spawned)
        d.crash(after: 10)
        #expect(d.app.unstableRestarts == 2)
        d.send(.spawned)
        #expect(actions(d.crash(after: 1500)) == [.spawn])
        #expect(d.app.unstableRestarts == 0)
        // Two more unstable restarts are allowed again, then the third gives up.
        d.send(.spawned)
        #expect(actions(d.crash(after: 10)) == [.spawn])
        d.send(.spawned)
        #expect(actions(d.crash(after: 10)) == [.spawn])
        d.send(.spawned)
        #expect(actions(d.crash(after: 10)) == [])
        #expect(d.app.status == .errored)
        #expect(d.app.restarts == 5)
    }

    @Test func exponentialBackoffGrowsByHalfAndIsCappedAt15Seconds() {
        var d = Driver {
            $0.expBackoffRestartDelay = .milliseconds(100)
            $0.maxRestarts = 1000
        }
        d.bringOnline()
        var delays: [Int64] = []
        for attempt in 1...15 {
            let exitAt = d.now + .milliseconds(50)
            let effects = d.crash(after: 50)
            guard case .waiting(let until) = d.app.phase else {
                Issue.record("attempt \(attempt): expected waiting, got \(d.app.phase)")
                return
            }
            #expect(actions(effects) == [.wake(at: until)])
            delays.append((until - exitAt).milliseconds)
            #expect(d.send(.timer, after: (until - d.now).milliseconds) == [.spawn])
            #expect(d.app.restarts == attempt)
            d.send(.spawned)
        }
        #expect(delays == [100, 150, 225, 338, 507, 761, 1142, 1713, 2570, 3855, 5783, 8675, 13013, 15000, 15000])
    }

    @Test(arguments: [(29_999, 338), (30_000, 100), (60_000, 100)] as [(Int64, Int64)])
    func backoffStartsOverAfter30SecondsUp(uptime: Int64, expectedDelay: Int64) {
        var d = Driver { $0.expBackoffRestartDelay = .milliseconds(100) }
        d.bringOnline()
        for _ in 0..<3 {                                   // delays 100, 150, 225
            d.crash(after: 10)
            d.send(.timer, after: 1000)
            d.send(.spawned)
        }
        let exitAt = d.now + .milliseconds(uptime)
        d.crash(after: uptime)
        #expect(d.app.phase == .waiting(until: exitAt + .milliseconds(expectedDelay)))
    }

    @Test func restartDelayWaitsThenTheTimerSpawns() {
        var d = Driver { $0.restartDelay = .milliseconds(500) }
        d.bringOnline()
        #expect(actions(d.crash(after: 100)) == [.wake(at: tick(600))])
        #expect(d.app.phase == .waiting(until: tick(600)))
        #expect(!d.app.isRunning)
        #expect(d.send(.timer, after: 499) == [], "a wake-up before the deadline is stale")
        #expect(d.app.phase == .waiting(until: tick(600)))
        #expect(d.app.restarts == 0)
        #expect(d.send(.timer, after: 1) == [.spawn])
        #expect(d.app.phase == .launching(readyBy: nil))
        #expect(d.app.restarts == 1)
    }

    @Test func stopWhileWaitingCancelsTheRestart() {
        var d = Driver { $0.restartDelay = .milliseconds(500) }
        d.bringOnline()
        d.crash(after: 100)
        #expect(d.send(.stop, after: 10) == [])
        #expect(d.app.status == .stopped)
        #expect(d.send(.timer, after: 1000) == [])
        #expect(d.app.status == .stopped)
        #expect(d.app.restarts == 0)
    }

    @Test func exitWithTheGroupAliveKillsTheRestFirst() {
        var d = Driver()
        d.bringOnline()
        let effects = d.send(.exited(.code(2), groupAlive: true), after: 100)
        #expect(actions(effects) == [.signalGroup(Signals.kill), .spawn])
    }

    @Test func spawnFailureIsErrored() {
        var d = Driver()
        d.send(.start)
        #expect(d.send(.spawnFailed("No such file or directory")) == [.log("could not start: No such file or directory")])
        #expect(d.app.status == .errored)
        #expect(d.app.lastReason == "No such file or directory")
        #expect(!d.app.isRunning)
        #expect(d.send(.start) == [.spawn], "start tries again")
        d.send(.spawned)
        #expect(d.send(.spawnFailed("late")) == [], "a spawn failure for a running process is stale")
        #expect(d.app.status == .online)
    }

    @Test func waitReadyIsOnlineOnTheReadySignal() {
        var d = Driver { $0.waitReady = true }
        d.send(.start)
        #expect(d.send(.spawned, after: 10) == [.wake(at: tick(3010))])
        #expect(d.app.phase == .launching(readyBy: tick(3010)))
        #expect(d.send(.ready, after: 490) == [])
        #expect(d.app.phase == .online(since: tick(500)))
        #expect(d.send(.timer, after: 2510) == [], "the listen timeout no longer matters")
        #expect(d.app.status == .online)
    }

    @Test func waitReadyWithoutReadyWithinListenTimeoutIsAFailedStart() {
        var d = Driver {
            $0.waitReady = true
            $0.listenTimeout = .milliseconds(2000)
        }
        d.send(.start)
        d.send(.spawned, after: 10)
        #expect(d.send(.timer, after: 1999) == [], "a wake-up before listen_timeout is stale")
        #expect(d.app.status == .launching)
        let effects = d.send(.timer, after: 1)
        #expect(actions(effects) == [.signalGroup(Signals.term), .wake(at: tick(3610))])
        #expect(logLines(effects) == ["no readiness signal within 2000 ms (listen_timeout); stopping it as a failed start"])
        #expect(d.app.readinessFailed)
        #expect(d.app.phase == .stopping(killAt: tick(3610), leaderExited: false, then: .failedStart))
        // Its exit counts as an unstable crash, whatever its uptime.
        #expect(actions(d.send(.exited(.signal(15), groupAlive: false), after: 5)) == [.spawn])
        #expect(d.app.unstableRestarts == 1)
        #expect(d.app.restarts == 1)
        #expect(d.app.lastReason == "no readiness signal within 2000 ms (listen_timeout)")
        #expect(d.app.readinessFailed, "a waiting client learns of the failure now, not after every retry")
        d.send(.spawned, after: 1)
        d.send(.ready, after: 1)
        #expect(!d.app.readinessFailed)
    }

    @Test func failedStartsCountTowardsMaxRestarts() {
        var d = Driver {
            $0.waitReady = true
            $0.maxRestarts = 1
        }
        d.send(.start)
        for _ in 0..<2 {
            d.send(.spawned)
            d.send(.timer, after: 3000)
            d.send(.exited(.signal(15), groupAlive: false))
        }
        #expect(d.app.status == .errored)
        #expect(d.app.restarts == 1)
        let reason = d.app.lastReason ?? ""
        #expect(reason.hasPrefix("no readiness signal within 3000 ms (listen_timeout) 2 times in a row"), "\(reason)")
        #expect(!reason.contains("SIGTERM"), "the stop procd sent is not the cause: \(reason)")
    }

    @Test func listeningAppIsOnlineAfterTheListenTimeout() {
        var d = Driver {
            $0.awaitsListen = true
            $0.listenTimeout = .milliseconds(2000)
        }
        d.send(.start)
        #expect(d.send(.spawned, after: 10) == [.wake(at: tick(2010))])
        #expect(d.send(.timer, after: 1999) == [])
        #expect(d.app.status == .launching)
        let effects = d.send(.timer, after: 1)
        #expect(actions(effects) == [])
        #expect(logLines(effects) == ["no readiness signal within listen_timeout (2000 ms); considered online"])
        #expect(d.app.phase == .online(since: tick(10)))
        #expect(d.app.readyNote == "no readiness signal within listen_timeout (2000 ms); considered online")
        #expect(actions(d.send(.ready, after: 5)) == [], "a late ready changes no state but the note")
        #expect(d.app.phase == .online(since: tick(10)))
        #expect(d.app.readyNote == nil)
    }

    @Test func aClusterInstanceThatNeverListensIsOnlineAndSaysItServesNothing() {
        var d = Driver {
            $0.awaitsListen = true
            $0.clusterListen = true
            $0.listenTimeout = .milliseconds(3000)
        }
        d.send(.start)
        d.send(.spawned)
        let effects = d.send(.timer, after: 3000)
        #expect(d.app.status == .online)
        #expect(logLines(effects) == ["never called listen() within listen_timeout (3000 ms): online, but it serves none of the app's ports"])
        #expect(d.app.readyNote?.hasPrefix("never called listen()") == true)
        d.send(.restart, after: 10)
        d.send(.exited(.code(0), groupAlive: false), after: 10)
        d.send(.spawned, after: 1)
        #expect(d.app.readyNote == nil, "a new start forgets the note")
    }

    @Test func listeningAppIsOnlineOnAnEarlyReady() {
        var d = Driver { $0.awaitsListen = true }
        d.send(.start)
        d.send(.spawned)
        #expect(d.send(.ready, after: 100) == [])
        #expect(d.app.phase == .online(since: tick(100)))
    }

    @Test func statusAndIsRunningPerPhase() {
        let rows: [(Lifecycle.Phase, ProcessStatus, Bool)] = [
            (.stopped, .stopped, false),
            (.launching(readyBy: nil), .launching, true),
            (.online(since: .zero), .online, true),
            (.stopping(killAt: tick(1), leaderExited: false, then: .rest), .stopping, true),
            (.stopping(killAt: tick(1), leaderExited: true, then: .rest), .stopping, false),
            (.waiting(until: tick(1)), .waiting, false),
            (.held, .waiting, false),
            (.errored, .errored, false),
        ]
        var seen = Set<ProcessStatus>()
        for (phase, status, running) in rows {
            var d = Driver()
            drive(&d, to: phase)
            #expect(d.app.phase == phase)
            #expect(d.app.status == status)
            #expect(d.app.isRunning == running)
            seen.insert(status)
        }
        #expect(seen == Set(ProcessStatus.allCases))
    }

    /// Brings a fresh driver (clock at zero) into `phase` through real events.
    private func drive(_ d: inout Driver, to phase: Lifecycle.Phase) {
        switch phase {
        case .stopped: break
        case .launching: d.send(.start)
        case .online: d.bringOnline()
        case .stopping(_, let leaderExited, _):
            d.app.policy.killTimeout = .milliseconds(1)
            d.bringOnline()
            d.send(.stop)
            if leaderExited { d.send(.exited(.code(0), groupAlive: true)) }
        case .waiting:
            d.app.policy.restartDelay = .milliseconds(1)
            d.bringOnline()
            d.crash(after: 0)
        case .errored:
            d.send(.start)
            d.send(.spawnFailed("test"))
        case .held:
            d.send(.hold("waiting for db: online"))
        }
    }

    /// A start that waits for dependencies runs nothing; the release is a start, a stop
    /// ends the wait, and an abandon says why it never ran.
    @Test func heldStartsWaitForTheirReleaseAndSayWhy() {
        var d = Driver()
        #expect(d.send(.hold("waiting for db: online")) == [.log("waiting for db: online")])
        #expect(d.app.status == .waiting && !d.app.isRunning && d.app.lastReason == "waiting for db: online")
        #expect(d.send(.hold("waiting for db: online")).isEmpty, "the same reason again is not news")
        #expect(d.send(.start) == [.spawn])
        #expect(d.app.lastReason == nil)

        var stopped = Driver()
        stopped.send(.hold("waiting for db: online"))
        #expect(stopped.send(.stop).isEmpty && stopped.app.status == .stopped)

        var abandoned = Driver()
        abandoned.send(.hold("waiting for migrate: completed_successfully"))
        #expect(abandoned.send(.abandon("not started: migrate exited with a non-zero code")).count == 1)
        #expect(abandoned.app.status == .stopped && abandoned.app.lastReason == "not started: migrate exited with a non-zero code")

        var running = Driver()
        running.bringOnline()
        #expect(running.send(.hold("waiting")).isEmpty && running.send(.abandon("no")).isEmpty && running.app.status == .online)
    }
}
