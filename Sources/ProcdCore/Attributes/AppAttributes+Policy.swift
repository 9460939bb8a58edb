/// The restart policy and readiness: when a process is restarted, how it is stopped,
/// and when it counts as online.
extension AppAttributes {
    static let policy: [AppAttribute] = [
        AppAttribute("autorestart", type: .boolean, flag: .setting("no-autorestart", false, "do not restart the app when it exits"),
                     group: .policy, label: "autorestart", summary: "restart the app when it exits (default true)",
                     example: false, read: { input, spec throws(AttributeError) in spec.policy.autorestart = try input.bool() },
                     write: { .bool($0.policy.autorestart) }),
        AppAttribute("max_restarts", type: .count, flag: .value("max-restarts", "N", "unstable restarts in a row before errored (default 16)", completion: .number),
                     group: .policy, label: "max restarts", summary: "unstable restarts in a row before the app is errored (default 16)",
                     example: 5, read: { input, spec throws(AttributeError) in spec.policy.maxRestarts = try input.count(0...1_000_000) },
                     write: { .int($0.policy.maxRestarts) }),
        .duration("min_uptime", \.policy.minUptime, option: "min-uptime", "an exit sooner than this is unstable (default 1000)",
                  label: "min uptime", summary: "an exit sooner than this is unstable (default 1000 ms)", example: 2500),
        .duration("restart_delay", \.policy.restartDelay, option: "restart-delay", "wait before restarting (default 0)",
                  label: "restart delay", summary: "wait before restarting (default 0)", example: 200),
        AppAttribute("exp_backoff_restart_delay", type: .duration,
                     flag: .value("exp-backoff-restart-delay", "MS", "exponential backoff from MS, x1.5 per crash, max 15 s", completion: .number),
                     group: .policy, label: "exp backoff delay", display: .milliseconds, summary: "a restart delay from this, x1.5 per crash, up to 15 s",
                     exportNote: "growing restart delay", example: 100,
                     read: { input, spec throws(AttributeError) in spec.policy.expBackoffRestartDelay = try input.duration() },
                     write: { $0.policy.expBackoffRestartDelay.map { .int(Int($0.milliseconds)) } }),
        .duration("kill_timeout", \.policy.killTimeout, option: "kill-timeout", "SIGKILL after this long (default 1600)",
                  label: "kill timeout", summary: "SIGKILL after this long (default 1600 ms)", example: 5000),
        .duration("listen_timeout", \.policy.listenTimeout, option: "listen-timeout", "how long to wait for readiness (default 3000)",
                  group: .readiness, label: "listen timeout", summary: "how long to wait for readiness (default 3000 ms)", example: 8000),
        AppAttribute("wait_ready", type: .boolean,
                     flag: .setting("wait-ready", true, "online only after READY=1 on NOTIFY_SOCKET or process.send('ready'); else a failed start"),
                     group: .readiness, label: "wait ready", summary: "online only after the app says it is ready (READY=1, process.send('ready'))",
                     exportNote: "readiness signal", example: true,
                     read: { input, spec throws(AttributeError) in spec.policy.waitReady = try input.bool() },
                     write: { .bool($0.policy.waitReady) }),
        AppAttribute("stop_exit_codes", type: .list, flag: .value("stop-exit-codes", "CODES", "exit codes that mean stopped, e.g. 0,3"),
                     group: .policy, label: "stop exit codes", summary: "exit codes that mean stopped, not crashed",
                     exportNote: "exit codes that mean stopped", example: [0, 3],
                     read: { input, spec throws(AttributeError) in spec.policy.stopExitCodes = try input.exitCodes() },
                     write: { .array($0.policy.stopExitCodes.map { .int(Int($0)) }) }),
        AppAttribute("kill_signal", type: .text, flag: .value("kill-signal", "SIGNAL", "signal that asks the app to stop (default SIGTERM)", completion: .signal),
                     group: .policy, label: "kill signal", summary: "the signal that asks the app to stop (default SIGTERM)",
                     example: "SIGINT", read: { input, spec throws(AttributeError) in
                         let signal = try input.text()
                         guard let number = Signals.number(named: signal) else { throw AttributeError("unknown signal '\(signal)'") }
                         spec.policy.killSignal = number
                     }, write: { .string(Signals.name(of: $0.policy.killSignal)) }),
    ]
}

extension AttributeInput {
    /// Exit codes: an array of numbers; files and the command line may also give one
    /// number or `0,3`.
    func exitCodes() throws(AttributeError) -> [Int32] {
        if isWire {
            guard let items = value.arrayValue else { throw AttributeError("expected an array of numbers, got \(value.typeName)") }
            return try items.map { item throws(AttributeError) -> Int32 in
                guard let n = item.intValue else { throw AttributeError("expected an array of whole numbers, got \(item.typeName)") }
                return Int32(truncatingIfNeeded: n)
            }
        }
        let items: [JSON] = value.arrayValue ?? value.stringValue.map { text in
            text.split(separator: ",").map { word in Int(String(word).trimmingSpaces()).map(JSON.int) ?? .string(String(word)) }
        } ?? [value]
        return try items.map { item throws(AttributeError) -> Int32 in
            guard let n = item.intValue, (0...255).contains(n) else { throw AttributeError("expected exit codes 0 to 255, got \(item.serialized())") }
            return Int32(n)
        }
    }
}

extension AppAttribute {
    /// A duration every app has (a default, never absent), in milliseconds on the wire,
    /// set by an option that takes MS or a unit.
    static func duration(_ key: String, _ path: WritableKeyPath<AppSpec, Duration> & Sendable, option: String, _ help: String,
                         group: AttributeGroup = .policy, label: String, summary: String, atLeast minimum: Duration = .zero,
                         example: JSON) -> AppAttribute {
        AppAttribute(key, type: .duration, flag: .value(option, "MS", help, completion: .number), group: group, label: label,
                     display: .milliseconds, summary: summary, example: example,
                     read: { input, spec throws(AttributeError) in spec[keyPath: path] = try input.duration(atLeast: minimum) },
                     write: { .int(Int($0[keyPath: path].milliseconds)) })
    }
}
