/// The steps of reading one app entry, a group of related attributes each. An entry with
/// several problems reports the first one met, so `Ecosystem.app` runs the steps, and each
/// step reads its attributes, in one fixed order.
extension EcosystemEntry {
    /// script, name, args, interpreter, interpreter_args (or node_args), cwd.
    func command() throws(ConfigError) -> AppDraft {
        guard let script = try string("script"), !script.isEmpty else {
            throw fail("script", "is missing: every app needs the script or program to run")
        }
        var draft = AppDraft(script: script)
        draft.name = try string("name")
        if let name = draft.name, let problem = AppSpec.problem(withNewName: name) { throw fail("name", problem) }
        draft.args = try words("args") ?? []
        draft.interpreter = try string("interpreter")
        // Both are read so that a malformed one is reported even when the other is set.
        let interpreterArgs = try words("interpreter_args")
        let nodeArgs = try words("node_args")
        draft.interpreterArgs = interpreterArgs ?? nodeArgs ?? []
        draft.cwd = try string("cwd")
        return draft
    }

    /// instances, exec_mode, balance.
    func readInstances(into draft: inout AppDraft) throws(ConfigError) {
        if let value = present("instances") {
            guard let text = Ecosystem.scalarText(value) else { throw fail("instances", "expected a number or \"max\", got \(value.typeName)") }
            draft.instances = text
            if case .failure(let error) = draft.instanceCount(cpus: 1) { throw fail("instances", error.message) }
        }
        if let mode = try string("exec_mode") {
            guard let parsed = ExecMode.parse(mode) else { throw fail("exec_mode", "expected fork or cluster, got '\(mode)'") }
            draft.template.execMode = parsed
        }
        if let text = try string("balance") {
            guard let parsed = Balance.parse(text) else { throw fail("balance", Balance.expectation(text)) }
            draft.template.balance = parsed
        }
    }

    /// env_file, env, then the env_NAME blocks of `environments` over env.
    func readEnvironment(into draft: inout AppDraft, environments: [String]) throws(ConfigError) {
        if let file = try string("env_file") { draft.envFiles = [file] }
        draft.template.env = try environment("env")
        for name in environments {
            for (key, value) in try environment("env_\(name)") { draft.template.env[key] = value }
        }
    }

    /// namespace, instance_var, listen.
    func readNamespaceAndListen(into template: inout AppSpec) throws(ConfigError) {
        if let namespace = try string("namespace") { template.namespace = namespace }
        if let name = try string("instance_var") {
            guard !name.isEmpty, !name.contains("="), !name.contains("\0") else { throw fail("instance_var", "expected a variable name, got '\(name)'") }
            template.instanceVar = name
        }
        if let value = present("listen") {
            for item in value.arrayValue ?? [value] {
                guard let text = Ecosystem.scalarText(item), let address = ListenAddress.parse(text) else {
                    throw fail("listen", "expected PORT or HOST:PORT, got \(item.serialized())")
                }
                template.listen.append(address)
            }
        }
    }

    /// autorestart, max_restarts, the delays and timeouts, wait_ready, stop_exit_codes, kill_signal.
    func readRestartPolicy(into policy: inout RestartPolicy) throws(ConfigError) {
        if let b = try bool("autorestart") { policy.autorestart = b }
        if let n = try integer("max_restarts", 0...1_000_000) { policy.maxRestarts = n }
        if let d = try duration("min_uptime") { policy.minUptime = d }
        if let d = try duration("restart_delay") { policy.restartDelay = d }
        if let d = try duration("exp_backoff_restart_delay") { policy.expBackoffRestartDelay = d }
        if let d = try duration("kill_timeout") { policy.killTimeout = d }
        if let d = try duration("listen_timeout") { policy.listenTimeout = d }
        if let b = try bool("wait_ready") { policy.waitReady = b }
        if let value = present("stop_exit_codes") {
            var codes: [Int32] = []
            for item in value.arrayValue ?? [value] {
                guard let n = item.intValue, (0...255).contains(n) else { throw fail("stop_exit_codes", "expected exit codes 0 to 255, got \(item.serialized())") }
                codes.append(Int32(n))
            }
            policy.stopExitCodes = codes
        }
        if let signal = try string("kill_signal") {
            guard let number = Signals.number(named: signal) else { throw fail("kill_signal", "unknown signal '\(signal)'") }
            policy.killSignal = number
        }
    }

    /// time, log_date_format, the log files and their pm2 aliases, merge_logs, log_max_size, log_retain.
    func readLogs(into template: inout AppSpec) throws(ConfigError) {
        if let b = try bool("time") { template.time = b }
        template.logDateFormat = try string("log_date_format")
        // Each alias is read even when its partner is set, so that a malformed one is reported.
        let outFile = try string("out_file")
        let output = try string("output")
        template.outFile = outFile ?? output
        let errorFile = try string("error_file")
        let error = try string("error")
        template.errorFile = errorFile ?? error
        let merge = try bool("merge_logs")
        let combine = try bool("combine_logs")
        if let b = merge ?? combine { template.mergeLogs = b }
        if let bytes = try size("log_max_size", example: "10M") { template.logMaxSize = bytes }
        template.logRetain = try integer("log_retain", 0...1000)
    }

    /// watchdog, health_url, health_interval, health_retries.
    func readHealth(into template: inout AppSpec) throws(ConfigError) {
        template.watchdog = try duration("watchdog")
        if let text = try string("health_url") {
            guard let url = HealthURL.parse(text) else { throw fail("health_url", "expected http://HOST:PORT/path, got '\(text)'") }
            template.healthURL = url
        }
        if let d = try duration("health_interval") {
            guard d >= .milliseconds(100) else { throw fail("health_interval", "must be at least 100 ms") }
            template.healthInterval = d
        }
        if let n = try integer("health_retries", 1...1000) { template.healthRetries = n }
    }

    /// depends_on, ready_log_line.
    func readStack(into template: inout AppSpec) throws(ConfigError) {
        if let value = present("depends_on") {
            switch Dependency.parse(value) {
            case .success(let dependencies): template.dependsOn = dependencies
            case .failure(let error): throw fail("depends_on", error.message)
            }
        }
        for key in ["readiness_probe", "liveness_probe"] {
            guard let value = present(key) else { continue }
            switch Probe.parse(value, field: key) {
            case .success(let probe): if key == "readiness_probe" { template.readinessProbe = probe } else { template.livenessProbe = probe }
            case .failure(let error): throw fail(key, error.message)
            }
        }
        if let text = try string("stop_command") {
            guard !text.trimmingSpaces().isEmpty else { throw fail("stop_command", "the command is empty") }
            template.stopCommand = text
        }
        if let text = try string("ready_log_line") {
            guard !text.isEmpty else { throw fail("ready_log_line", "the text to wait for is empty") }
            template.readyLogLine = text
        }
    }

    /// max_memory_restart, cron_restart (or its alias cron).
    func readRestartTriggers(into template: inout AppSpec) throws(ConfigError) {
        if let bytes = try size("max_memory_restart", example: "200M", atLeast: 1) { template.maxMemoryRestart = bytes }
        let cronText = try string("cron_restart")
        let cronAlias = try string("cron")
        if let text = cronText ?? cronAlias {
            do {
                _ = try Cron.parse(text)
            } catch {
                throw fail(cronText != nil ? "cron_restart" : "cron", error.message)
            }
            template.cronRestart = text
        }
    }

    /// watch, ignore_watch, watch_delay.
    func readWatch(into template: inout AppSpec) throws(ConfigError) {
        if let value = present("watch") {
            switch value {
            case .bool(let on): template.watch = on ? [] : nil
            case .string(let path): template.watch = [path]
            case .array(let items):
                template.watch = try items.map { item throws(ConfigError) -> String in
                    guard let text = item.stringValue else { throw fail("watch", "expected paths, got \(item.typeName)") }
                    return text
                }
            default: throw fail("watch", "expected true, a path or an array of paths, got \(value.typeName)")
            }
        }
        if let value = present("ignore_watch") {
            guard let patterns = value.arrayValue?.compactMap(\.stringValue) ?? value.stringValue.map({ [$0] }) else {
                throw fail("ignore_watch", "expected a pattern or an array of patterns, got \(value.typeName)")
            }
            template.ignoreWatch = patterns
        }
        if let d = try duration("watch_delay") { template.watchDelay = d }
    }

    /// A warning for each attribute procd does not act on, in the entry's order. With
    /// `strict`, an unknown attribute within edit distance 2 of a known one is a typo, and
    /// an error that names the likely attribute; `ignoring` keys belong to the file, not the app.
    func unknownAttributes(strict: Bool, ignoring: Set<String> = []) throws(ConfigError) -> [String] {
        var warnings: [String] = []
        for key in object.keys where !Ecosystem.known.contains(key) && !(key.hasPrefix("env_") && key != "env_file") && !ignoring.contains(key) {
            if Ecosystem.unsupported.contains(key) {
                if object[key] == .bool(false) || object[key] == .null { continue }      // a feature turned off
                warnings.append("\(file): app \(label): '\(key)' is not supported by procd yet; ignored")
            } else if let guess = TargetSelector.closest(to: key, in: Ecosystem.known.sorted()) {
                if strict {
                    throw fail(key, "unknown attribute (did you mean '\(guess)'?); correct it, or start with --lenient "
                        + "(or \"strict\": false at the top of the file) to ignore it")
                }
                warnings.append("\(file): app \(label): unknown attribute '\(key)' (did you mean '\(guess)'?); ignored")
            } else if object[key] != .bool(false) && object[key] != .null {
                warnings.append("\(file): app \(label): unknown attribute '\(key)'; ignored")
            }
        }
        return warnings
    }
}
