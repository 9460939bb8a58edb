/// The user-visible state of a process (the SPEC's names).
public enum ProcessStatus: String, Sendable, CaseIterable {
    case launching, online, stopping, stopped, waiting, errored
}

/// How a process ended.
public enum ExitStatus: Equatable, Sendable, CustomStringConvertible {
    case code(Int32)
    case signal(Int32)

    public var description: String {
        switch self {
        case .code(let c): "exit code \(c)"
        case .signal(let s): "signal \(Signals.name(of: s))"
        }
    }
}

/// The lifecycle of one process slot: a pure state machine that returns effects as data.
///
/// The daemon feeds it observed facts (spawned, exited, timer fired) and user requests,
/// and performs the effects it returns. It never reads a clock; `now` is passed in.
public struct Lifecycle: Equatable, Sendable {
    /// What happens once a stopping process has exited.
    public enum AfterStop: Equatable, Sendable {
        case rest, restart, remove
        /// It was stopped for not becoming ready in time: count it as an unstable crash.
        case failedStart
    }

    public enum Phase: Equatable, Sendable {
        case stopped
        /// Spawned and waiting for readiness, which counts as given at `readyBy`.
        case launching(readyBy: Tick?)
        case online(since: Tick)
        /// Kill signal sent; SIGKILL at `killAt` (nil once sent). The leader may have
        /// exited while others of its group still run.
        case stopping(killAt: Tick?, leaderExited: Bool, then: AfterStop)
        case waiting(until: Tick)
        case errored
    }

    public enum Event: Equatable, Sendable {
        case start
        case restart
        /// A restart the daemon decided (watchdog, health, memory, cron, watch), with why.
        case autoRestart(String)
        /// Start a replacement now; the current process keeps running until it is online.
        case reload
        /// The process announced its own exit (STOPPING=1, or Node's 'shutdown'):
        /// start its replacement at once.
        case exiting
        case stop
        case delete
        case reset
        case spawned
        case spawnFailed(String)
        case ready
        /// The leader was reaped; `groupAlive` tells whether others of its group remain.
        case exited(ExitStatus, groupAlive: Bool)
        /// The last member of a stopping process's group is gone.
        case groupGone
        /// The leader exited 0 right after it started, leaving a process that put itself
        /// in the background: the app cannot be supervised as it is, with why.
        case forkedAway(String)
        /// A deadline scheduled earlier may have passed.
        case timer
    }

    public enum Effect: Equatable, Sendable {
        case spawn
        /// Send a signal to the whole process group.
        case signalGroup(Int32)
        /// Deliver `.timer` at (or after) this tick.
        case wake(at: Tick)
        /// Drop the process from the table.
        case remove
        /// Record a decision in the daemon's log, with the reason.
        case log(String)
        /// Detach the running process from this slot; it runs on until `.stopRetired`.
        case retire
        /// Ask the processes retired from this slot to stop (the replacement is online,
        /// or the slot came to rest).
        case stopRetired
    }

    public internal(set) var phase: Phase = .stopped
    public var policy: RestartPolicy
    /// Every restart, manual or automatic.
    public internal(set) var restarts = 0
    /// Unstable restarts in a row (exits sooner than min_uptime).
    public internal(set) var unstableRestarts = 0
    public internal(set) var startedAt: Tick?
    public internal(set) var lastExit: ExitStatus?
    /// Why the process last restarted, stopped or gave up.
    public internal(set) var lastReason: String?
    var backoff: Duration?
    /// A process retired from this slot is still running and waits for `.stopRetired`.
    public internal(set) var hasRetiree = false
    /// The last start failed for want of a readiness signal, and nothing has come online
    /// since: a client waiting for the start has its answer.
    public internal(set) var readinessFailed = false

    public init(policy: RestartPolicy) { self.policy = policy }

    public var status: ProcessStatus {
        switch phase {
        case .stopped: .stopped
        case .launching: .launching
        case .online: .online
        case .stopping: .stopping
        case .waiting: .waiting
        case .errored: .errored
        }
    }

    /// True while a process of this slot may be alive (spawned and not yet reaped).
    public var isRunning: Bool {
        switch phase {
        case .launching, .online: true
        case .stopping(_, let leaderExited, _): !leaderExited
        case .stopped, .waiting, .errored: false
        }
    }

    /// Adds what the daemon learned about the last failure (from the process's output,
    /// say) to the reason.
    public mutating func explain(_ note: String) {
        lastReason = (lastReason.map { $0 + "; " } ?? "") + note
    }

    public mutating func handle(_ event: Event, at now: Tick) -> [Effect] {
        // A user's request starts a new attempt: earlier failures are not its answer.
        if [.start, .restart, .reload].contains(event) { readinessFailed = false }
        var effects = transition(event, at: now)
        if hasRetiree, [.online, .stopped, .errored].contains(status) {
            hasRetiree = false
            effects.append(.stopRetired)
        }
        return effects
    }

    private mutating func transition(_ event: Event, at now: Tick) -> [Effect] {
        switch (phase, event) {
        // Starting.
        case (.stopped, .start), (.errored, .start), (.waiting, .start):
            // A user's start clears the crash history, as restart does.
            unstableRestarts = 0
            backoff = nil
            return launch()
        case (.launching, .start), (.online, .start):
            return []
        case (.stopping(let killAt, let leaderExited, let then), .start):
            phase = .stopping(killAt: killAt, leaderExited: leaderExited, then: then == .remove ? .remove : .restart)
            return []

        case (.launching, .spawned):
            startedAt = now
            if policy.waitReady || policy.awaitsListen {
                let readyBy = now + policy.listenTimeout
                phase = .launching(readyBy: readyBy)
                return [.wake(at: readyBy)]
            }
            phase = .online(since: now)
            readinessFailed = false
            return []
        case (_, .spawned):
            return []

        case (.launching, .spawnFailed(let reason)):
            phase = .errored
            lastReason = reason
            return [.log("could not start: \(reason)")]
        case (_, .spawnFailed):
            return []

        case (.launching, .ready):
            phase = .online(since: now)
            readinessFailed = false
            return []
        case (_, .ready):
            return []

        // Manual restart: counted, and it clears the unstable streak.
        case (.launching, .restart), (.online, .restart):
            unstableRestarts = 0
            lastReason = "restart requested"
            return beginStop(then: .restart, at: now)
        case (.stopping(let killAt, let leaderExited, let then), .restart):
            phase = .stopping(killAt: killAt, leaderExited: leaderExited, then: then == .remove ? .remove : .restart)
            return []
        case (.stopped, .restart), (.errored, .restart), (.waiting, .restart):
            unstableRestarts = 0
            backoff = nil
            restarts += 1
            lastReason = "restart requested"
            return launch()

        case (.launching, .autoRestart(let reason)), (.online, .autoRestart(let reason)):
            lastReason = reason
            return [.log("restarting: \(reason)")] + beginStop(then: .restart, at: now)
        case (.stopping(let killAt, let leaderExited, let then), .autoRestart):
            phase = .stopping(killAt: killAt, leaderExited: leaderExited, then: then == .remove ? .remove : .restart)
            return []
        case (.stopped, .autoRestart(let reason)), (.errored, .autoRestart(let reason)), (.waiting, .autoRestart(let reason)):
            lastReason = reason
            restarts += 1
            backoff = nil
            return [.log("starting: \(reason)")] + launch()

        // Reload: the replacement starts first; the old process is retired, not stopped.
        case (.launching, .reload), (.online, .reload):
            unstableRestarts = 0
            backoff = nil
            restarts += 1
            lastReason = "reload requested"
            hasRetiree = true
            return [.retire] + launch()
        case (.stopping(let killAt, let leaderExited, let then), .reload):
            phase = .stopping(killAt: killAt, leaderExited: leaderExited, then: then == .remove ? .remove : .restart)
            return []
        case (.stopped, .reload), (.errored, .reload), (.waiting, .reload):
            unstableRestarts = 0
            backoff = nil
            restarts += 1
            lastReason = "reload requested"
            return launch()

        // A process that says it is about to exit is replaced without waiting for the exit.
        case (.launching, .exiting), (.online, .exiting):
            restarts += 1
            lastReason = "announced its exit"
            hasRetiree = true
            return [.retire, .log("announced its exit; starting its replacement now")] + launch()
        case (_, .exiting):
            return []

        // Stopping.
        case (.launching, .stop), (.online, .stop):
            lastReason = "stop requested"
            return beginStop(then: .rest, at: now)
        case (.stopping(let killAt, let leaderExited, let then), .stop):
            phase = .stopping(killAt: killAt, leaderExited: leaderExited, then: then == .remove ? .remove : .rest)
            return []
        case (.waiting, .stop):
            phase = .stopped
            lastReason = "stop requested"
            return []
        case (.stopped, .stop), (.errored, .stop):
            return []                                   // repeated stops are harmless

        case (.launching, .delete), (.online, .delete):
            return beginStop(then: .remove, at: now)
        case (.stopping(let killAt, let leaderExited, _), .delete):
            phase = .stopping(killAt: killAt, leaderExited: leaderExited, then: .remove)
            return []
        case (.stopped, .delete), (.errored, .delete), (.waiting, .delete):
            return [.remove]

        case (_, .reset):
            restarts = 0
            unstableRestarts = 0
            backoff = nil
            return []

        // Exits.
        case (.stopping(let killAt, _, let then), .exited(let status, let groupAlive)):
            lastExit = status
            if groupAlive, killAt != nil {
                // Others of the group are still shutting down: wait for them or the deadline.
                phase = .stopping(killAt: killAt, leaderExited: true, then: then)
                return []
            }
            return finishStop(then: then, at: now)
        case (.launching, .exited(let status, let groupAlive)), (.online, .exited(let status, let groupAlive)):
            lastExit = status
            var effects: [Effect] = groupAlive ? [.signalGroup(Signals.kill)] : []
            effects += crashed(status, at: now)
            return effects
        case (.stopped, .exited), (.waiting, .exited), (.errored, .exited):
            return []

        case (.launching, .forkedAway(let reason)), (.online, .forkedAway(let reason)):
            phase = .errored
            lastExit = .code(0)
            lastReason = reason
            return [.log(reason)]
        case (_, .forkedAway):
            return []

        case (.stopping(_, true, let then), .groupGone):
            return finishStop(then: then, at: now)
        case (_, .groupGone):
            return []

        // Deadlines. A wake-up before the deadline is stale and ignored.
        case (.waiting(let until), .timer) where now >= until:
            restarts += 1
            return launch()
        case (.launching(let readyBy?), .timer) where now >= readyBy:
            if policy.waitReady {
                lastReason = "no readiness signal within \(policy.listenTimeout.milliseconds) ms (listen_timeout)"
                readinessFailed = true
                return [.log("\(lastReason ?? ""); stopping it as a failed start")] + beginStop(then: .failedStart, at: now)
            }
            phase = .online(since: startedAt ?? now)
            return [.log("no readiness signal within listen_timeout; considered online")]
        case (.stopping(let killAt?, let leaderExited, let then), .timer) where now >= killAt:
            let note = Effect.log("still running after kill_timeout (\(policy.killTimeout.milliseconds) ms); sending SIGKILL to the group")
            if leaderExited {
                return [note, .signalGroup(Signals.kill)] + finishStop(then: then, at: now)
            }
            phase = .stopping(killAt: nil, leaderExited: false, then: then)
            return [note, .signalGroup(Signals.kill)]
        case (_, .timer):
            return []
        }
    }

    private mutating func launch() -> [Effect] {
        phase = .launching(readyBy: nil)
        startedAt = nil
        return [.spawn]
    }

    private mutating func beginStop(then: AfterStop, at now: Tick) -> [Effect] {
        let killAt = now + policy.killTimeout
        phase = .stopping(killAt: killAt, leaderExited: false, then: then)
        return [.signalGroup(policy.killSignal), .wake(at: killAt)]
    }

    private mutating func finishStop(then: AfterStop, at now: Tick) -> [Effect] {
        switch then {
        case .rest:
            phase = .stopped
            return []
        case .restart:
            restarts += 1
            backoff = nil
            return launch()
        case .remove:
            phase = .stopped
            return [.remove]
        case .failedStart:
            return crashed(lastExit ?? .signal(policy.killSignal), at: now, unstable: true)
        }
    }

    /// An exit nobody asked for: stop, restart (now or later) or give up.
    private mutating func crashed(_ status: ExitStatus, at now: Tick, unstable: Bool = false) -> [Effect] {
        let uptime = unstable ? .zero : startedAt.map { now - $0 } ?? .zero
        if !policy.autorestart {
            phase = .stopped
            lastReason = "exited (\(status)); autorestart is off"
            return [.log(lastReason ?? "")]
        }
        if case .code(let code) = status, policy.stopExitCodes.contains(code) {
            phase = .stopped
            lastReason = "exited with \(status), listed in stop_exit_codes"
            return [.log(lastReason ?? "")]
        }
        if uptime < policy.minUptime {
            if unstableRestarts >= policy.maxRestarts {
                phase = .errored
                let times = "\(unstableRestarts + 1) times in a row"
                lastReason = readinessFailed
                    ? "\(lastReason ?? "no readiness signal") \(times); gave up after max_restarts (\(policy.maxRestarts))"
                    : "crashed (\(status)) \(times) within min_uptime "
                        + "(\(policy.minUptime.milliseconds) ms); gave up after max_restarts (\(policy.maxRestarts))"
                return [.log(lastReason ?? "")]
            }
            unstableRestarts += 1
        } else {
            unstableRestarts = 0
        }
        if uptime >= RestartPolicy.backoffResetUptime { backoff = nil }
        let next = policy.nextDelay(previous: backoff)
        backoff = next.backoff
        if !unstable { lastReason = "crashed (\(status))" }
        if next.delay <= .zero {
            restarts += 1
            return [.log("\(lastReason ?? ""); restarting")] + launch()
        }
        let until = now + next.delay
        phase = .waiting(until: until)
        return [.log("\(lastReason ?? ""); restarting in \(next.delay.milliseconds) ms"), .wake(at: until)]
    }
}
