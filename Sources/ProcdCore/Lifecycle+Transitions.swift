/// The transitions of `Lifecycle`: one function an event, each switching on the phase.
extension Lifecycle {
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
        switch event {
        case .start: onStart()
        case .restart: onRestart(at: now)
        case .autoRestart(let reason): onAutoRestart(reason, at: now)
        case .reload: onReload()
        case .exiting: onExiting()
        case .stop: onStop(at: now)
        case .delete: onDelete(at: now)
        case .reset: onReset()
        case .spawned: onSpawned(at: now)
        case .spawnFailed(let reason): onSpawnFailed(reason)
        case .ready: policy.awaitsProbe ? notedReady() : onReady(at: now)
        case .probePassed: onReady(at: now)
        case .exited(let status, let groupAlive): onExited(status, groupAlive: groupAlive, at: now)
        case .groupGone: onGroupGone(at: now)
        case .forkedAway(let reason): onForkedAway(reason)
        case .timer: onTimer(at: now)
        case .hold(let reason): onHold(reason)
        case .abandon(let reason): onAbandon(reason)
        }
    }

    // Dependencies.

    /// A start that must wait: nothing runs, so nothing is stopped.
    private mutating func onHold(_ reason: String) -> [Effect] {
        switch phase {
        case .stopped, .errored, .waiting, .held:
            let changed = phase != .held || lastReason != reason
            phase = .held
            lastReason = reason
            return changed ? [.log(reason)] : []
        case .launching, .online, .stopping:
            return []
        }
    }

    private mutating func onAbandon(_ reason: String) -> [Effect] {
        guard !isRunning, status != .stopping else { return [] }
        phase = .stopped
        lastReason = reason
        return [.log(reason)]
    }

    // Requests.

    private mutating func onStart() -> [Effect] {
        switch phase {
        case .stopped, .errored, .waiting, .held:
            // A user's start clears the crash history, as restart does.
            unstableRestarts = 0
            backoff = nil
            // What it waited for is no longer news once it runs.
            if phase == .held { lastReason = nil }
            return launch()
        case .launching, .online:
            return []
        case .stopping:
            return redirectStop(to: .restart)
        }
    }

    /// A manual restart is counted, and it clears the unstable streak.
    private mutating func onRestart(at now: Tick) -> [Effect] {
        switch phase {
        case .launching, .online:
            unstableRestarts = 0
            lastReason = "restart requested"
            return beginStop(then: .restart, at: now)
        case .stopping:
            return redirectStop(to: .restart)
        case .stopped, .errored, .waiting, .held:
            return relaunch("restart requested")
        }
    }

    private mutating func onAutoRestart(_ reason: String, at now: Tick) -> [Effect] {
        switch phase {
        case .launching, .online:
            lastReason = reason
            return [.log("restarting: \(reason)")] + beginStop(then: .restart, at: now)
        case .stopping:
            return redirectStop(to: .restart)
        case .stopped, .errored, .waiting, .held:
            lastReason = reason
            restarts += 1
            backoff = nil
            return [.log("starting: \(reason)")] + launch()
        }
    }

    /// The replacement starts first; the old process is retired, not stopped.
    private mutating func onReload() -> [Effect] {
        switch phase {
        case .launching, .online:
            hasRetiree = true
            return [.retire] + relaunch("reload requested")
        case .stopping:
            return redirectStop(to: .restart)
        case .stopped, .errored, .waiting, .held:
            return relaunch("reload requested")
        }
    }

    /// A process that says it is about to exit is replaced without waiting for the exit.
    private mutating func onExiting() -> [Effect] {
        switch phase {
        case .launching, .online:
            restarts += 1
            lastReason = "announced its exit"
            hasRetiree = true
            return [.retire, .log("announced its exit; starting its replacement now")] + launch()
        case .stopped, .stopping, .waiting, .held, .errored:
            return []
        }
    }

    private mutating func onStop(at now: Tick) -> [Effect] {
        switch phase {
        case .launching, .online:
            lastReason = "stop requested"
            return beginStop(then: .rest, at: now)
        case .stopping:
            return redirectStop(to: .rest)
        case .waiting, .held:
            phase = .stopped
            lastReason = "stop requested"
            return []
        case .stopped, .errored:
            return []                                   // repeated stops are harmless
        }
    }

    private mutating func onDelete(at now: Tick) -> [Effect] {
        switch phase {
        case .launching, .online:
            return beginStop(then: .remove, at: now)
        case .stopping:
            return redirectStop(to: .remove)
        case .stopped, .errored, .waiting, .held:
            return [.remove]
        }
    }

    private mutating func onReset() -> [Effect] {
        restarts = 0
        unstableRestarts = 0
        backoff = nil
        return []
    }

    // Observations.

    private mutating func onSpawned(at now: Tick) -> [Effect] {
        guard case .launching = phase else { return [] }
        startedAt = now
        readyNote = nil
        if policy.waitReady || policy.awaitsListen {
            let readyBy = now + policy.listenTimeout
            phase = .launching(readyBy: readyBy)
            return [.wake(at: readyBy)]
        }
        phase = .online(since: now)
        readinessFailed = false
        return []
    }

    private mutating func onSpawnFailed(_ reason: String) -> [Effect] {
        guard case .launching = phase else { return [] }
        phase = .errored
        lastReason = reason
        return [.log("could not start: \(reason)")]
    }

    private mutating func onReady(at now: Tick) -> [Effect] {
        // A late listen() or READY=1 makes an instance online by timeout a serving one.
        if case .online = phase, readyNote != nil {
            readyNote = nil
            return [.log("ready after all")]
        }
        guard case .launching = phase else { return [] }
        phase = .online(since: now)
        readinessFailed = false
        return []
    }

    /// A readiness signal from an app whose readiness probe decides.
    private func notedReady() -> [Effect] {
        guard case .launching = phase else { return [] }
        return [.log("a readiness signal came; the readiness probe decides when it is online")]
    }

    private mutating func onExited(_ status: ExitStatus, groupAlive: Bool, at now: Tick) -> [Effect] {
        switch phase {
        case .stopping(let killAt, _, let then):
            lastExit = status
            if groupAlive, killAt != nil {
                // Others of the group are still shutting down: wait for them or the deadline.
                phase = .stopping(killAt: killAt, leaderExited: true, then: then)
                return []
            }
            return finishStop(then: then, at: now)
        case .launching, .online:
            lastExit = status
            var effects: [Effect] = groupAlive ? [.signalGroup(Signals.kill)] : []
            effects += crashed(status, at: now)
            return effects
        case .stopped, .waiting, .held, .errored:
            return []
        }
    }

    private mutating func onGroupGone(at now: Tick) -> [Effect] {
        guard case .stopping(_, true, let then) = phase else { return [] }
        return finishStop(then: then, at: now)
    }

    private mutating func onForkedAway(_ reason: String) -> [Effect] {
        switch phase {
        case .launching, .online:
            phase = .errored
            lastExit = .code(0)
            lastReason = reason
            return [.log(reason)]
        case .stopped, .stopping, .waiting, .held, .errored:
            return []
        }
    }

    /// A wake-up before the deadline is stale and ignored.
    private mutating func onTimer(at now: Tick) -> [Effect] {
        switch phase {
        case .waiting(let until) where now >= until:
            restarts += 1
            return launch()
        case .launching(let readyBy?) where now >= readyBy:
            if policy.waitReady {
                lastReason = policy.awaitsProbe
                    ? "the readiness probe did not pass within \(policy.listenTimeout.milliseconds) ms"
                    : "no readiness signal within \(policy.listenTimeout.milliseconds) ms (listen_timeout)"
                readinessFailed = true
                return [.log("\(lastReason ?? ""); stopping it as a failed start")] + beginStop(then: .failedStart, at: now)
            }
            phase = .online(since: startedAt ?? now)
            let waited = "within listen_timeout (\(policy.listenTimeout.milliseconds) ms)"
            readyNote = policy.clusterListen
                ? "never called listen() \(waited): online, but it serves none of the app's ports"
                : "no readiness signal \(waited); considered online"
            return [.log(readyNote ?? "")]
        case .stopping(let killAt?, let leaderExited, let then) where now >= killAt:
            let note = Effect.log("still running after kill_timeout (\(policy.killTimeout.milliseconds) ms); sending SIGKILL to the group")
            if leaderExited {
                return [note, .signalGroup(Signals.kill)] + finishStop(then: then, at: now)
            }
            phase = .stopping(killAt: nil, leaderExited: false, then: then)
            return [note, .signalGroup(Signals.kill)]
        default:
            return []
        }
    }

    // Steps shared by the transitions.

    /// A request that arrives while the process is stopping takes effect once it has
    /// stopped; a delete asked for earlier still wins.
    private mutating func redirectStop(to next: AfterStop) -> [Effect] {
        guard case .stopping(let killAt, let leaderExited, let then) = phase else { return [] }
        phase = .stopping(killAt: killAt, leaderExited: leaderExited, then: then == .remove ? .remove : next)
        return []
    }

    /// A restart or reload the user asked for: counted, with the crash history cleared.
    private mutating func relaunch(_ reason: String) -> [Effect] {
        unstableRestarts = 0
        backoff = nil
        restarts += 1
        lastReason = reason
        return launch()
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

    /// An exit nobody asked for: stop, restart (now or later) or give up. A clean exit
    /// (code 0) is told as "exited", any other as "crashed".
    private mutating func crashed(_ status: ExitStatus, at now: Tick, unstable: Bool = false) -> [Effect] {
        let ended = status == .code(0) ? "exited" : "crashed"
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
                    : "\(ended) (\(status)) \(times) within min_uptime "
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
        if !unstable { lastReason = "\(ended) (\(status))" }
        if next.delay <= .zero {
            restarts += 1
            return [.log("\(lastReason ?? ""); restarting")] + launch()
        }
        let until = now + next.delay
        phase = .waiting(until: until)
        return [.log("\(lastReason ?? ""); restarting in \(next.delay.milliseconds) ms"), .wake(at: until)]
    }
}
