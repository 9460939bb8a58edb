/// The lifecycle's JSON form: enough to carry a running process across an in-place
/// daemon upgrade (ticks are monotonic-clock nanoseconds, valid until the next boot).
extension Lifecycle {
    public var json: JSON {
        var o: JSONObject = [
            "restarts": .int(restarts),
            "unstable_restarts": .int(unstableRestarts),
            "has_retiree": .bool(hasRetiree),
        ]
        if readinessFailed { o["readiness_failed"] = .bool(true) }
        if let readyNote { o["ready_note"] = .string(readyNote) }
        func tick(_ t: Tick?) -> JSON { t.map { .number(Double($0.nanoseconds)) } ?? .null }
        switch phase {
        case .stopped: o["phase"] = .string("stopped")
        case .errored: o["phase"] = .string("errored")
        case .launching(let readyBy):
            o["phase"] = .string("launching")
            o["ready_by"] = tick(readyBy)
        case .online(let since):
            o["phase"] = .string("online")
            o["since"] = tick(since)
        case .held:
            o["phase"] = .string("held")
        case .waiting(let until):
            o["phase"] = .string("waiting")
            o["until"] = tick(until)
        case .stopping(let killAt, let leaderExited, let then):
            o["phase"] = .string("stopping")
            o["kill_at"] = tick(killAt)
            o["leader_exited"] = .bool(leaderExited)
            o["then"] = .string(Self.name(of: then))
        }
        o["started_at"] = tick(startedAt)
        if let backoff { o["backoff_ms"] = .int(Int(backoff.milliseconds)) }
        if let lastReason { o["reason"] = .string(lastReason) }
        switch lastExit {
        case .code(let c)?: o["exit_code"] = .int(Int(c))
        case .signal(let s)?: o["exit_signal"] = .int(Int(s))
        case nil: break
        }
        return .object(o)
    }

    /// Restores the form written by `json`; unknown or missing parts fall back to stopped.
    public init(json: JSON, policy: RestartPolicy) {
        self.init(policy: policy)
        func tick(_ key: String) -> Tick? {
            json[key]?.doubleValue.flatMap { Int64(exactly: $0.rounded()) }.map { Tick(nanoseconds: $0) }
        }
        restarts = json["restarts"]?.intValue ?? 0
        unstableRestarts = json["unstable_restarts"]?.intValue ?? 0
        hasRetiree = json["has_retiree"]?.boolValue ?? false
        readinessFailed = json["readiness_failed"]?.boolValue ?? false
        readyNote = json["ready_note"]?.stringValue
        startedAt = tick("started_at")
        backoff = json["backoff_ms"]?.intValue.map { .milliseconds(Int64($0)) }
        lastReason = json["reason"]?.stringValue
        if let code = json["exit_code"]?.intValue { lastExit = .code(Int32(truncatingIfNeeded: code)) }
        if let signal = json["exit_signal"]?.intValue { lastExit = .signal(Int32(truncatingIfNeeded: signal)) }
        switch json["phase"]?.stringValue {
        case "errored": phase = .errored
        case "launching": phase = .launching(readyBy: tick("ready_by"))
        case "online": phase = .online(since: tick("since") ?? .zero)
        case "waiting": phase = .waiting(until: tick("until") ?? .zero)
        case "held": phase = .held
        case "stopping":
            phase = .stopping(killAt: tick("kill_at"), leaderExited: json["leader_exited"]?.boolValue ?? false,
                              then: Self.afterStop(named: json["then"]?.stringValue))
        default: phase = .stopped
        }
    }

    /// Whether the process should be running after the daemon comes back from a crash or
    /// a reboot: it was running, about to run, or being restarted.
    public var shouldRun: Bool {
        switch phase {
        case .launching, .online, .waiting, .held: true
        case .stopping(_, _, let then): then == .restart || then == .failedStart
        case .stopped, .errored: false
        }
    }

    private static func name(of then: AfterStop) -> String {
        switch then {
        case .rest: "rest"
        case .restart: "restart"
        case .remove: "remove"
        case .failedStart: "failed_start"
        }
    }

    private static func afterStop(named name: String?) -> AfterStop {
        switch name {
        case "restart": .restart
        case "remove": .remove
        case "failed_start": .failedStart
        default: .rest
        }
    }
}

extension Lifecycle {
    /// After a restore the old process is gone: the slot rests (stopped, or errored as it
    /// was) with its counters kept, ready for `.start`.
    public mutating func settleAfterRestore() {
        if phase != .errored { phase = .stopped }
        startedAt = nil
        hasRetiree = false
    }
}
