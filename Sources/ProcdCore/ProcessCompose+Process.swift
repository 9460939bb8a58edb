extension ProcessCompose {
    /// One entry of `processes`, turned into a pm2 app.
    struct ProcessReader {
        let name: String
        let process: JSONObject
        let file: String
        let shell: Shell
        private(set) var warnings: [String] = []

        init(name: String, process: JSONObject, file: String, shell: Shell) {
            self.name = name
            self.process = process
            self.file = file
            self.shell = shell
        }

        private func fail(_ field: String, _ message: String) -> ConfigError {
            ConfigError(file: file, app: "'\(name)'", field: field, message: message)
        }

        /// The names `depends_on` lists, whatever its form.
        func dependencies() -> [String] {
            switch process["depends_on"] {
            case .object(let object)?: object.keys
            case .array(let items)?: items.compactMap { $0.stringValue?.split(separator: ":").first.map(String.init) }
            default: []
            }
        }

        mutating func app(globalEnv: JSONObject) throws(ConfigError) -> JSONObject {
            var app: JSONObject = ["name": .string(name)]
            try readCommand(into: &app)
            var env = globalEnv
            for (key, value) in try ProcessCompose.environment(process["environment"], file: file, app: "'\(name)'").entries { env[key] = value }
            if !env.keys.isEmpty { app["env"] = .object(env) }
            for (key, value) in process.entries {
                if let target = ProcessCompose.passedOn[key] { app[target] = value }
            }
            if case .array(let files)? = process["env_file"] {
                guard files.count <= 1 else { throw fail("env_file", "procd reads one env_file a process; merge them into one") }
                app["env_file"] = files.first
            }
            try readAvailability(into: &app)
            try readShutdown(into: &app)
            try readReplicas(into: &app)
            if let path = process["log_location"], path != .null {
                guard let text = path.stringValue else { throw fail("log_location", "expected a path, got \(path.typeName)") }
                app["out_file"] = .string(text)
                app["error_file"] = .string(text)
            }
            if process["is_daemon"]?.boolValue == true {
                warnings.append("\(file): '\(name)': is_daemon: procd supervises programs that stay in the foreground; "
                    + "one that forks into the background is reported (start exits 1). Run it in the foreground "
                    + "(nginx -g 'daemon off;', redis-server --daemonize no)")
            }
            return app
        }

        /// `command` through the shell, or `entrypoint` as the argv itself.
        private func readCommand(into app: inout JSONObject) throws(ConfigError) {
            let command = process["command"]
            let entrypoint = process["entrypoint"]
            switch (command, entrypoint) {
            case (.string(let line)?, nil), (.string(let line)?, .null?):
                guard !line.trimmingSpaces().isEmpty else { throw fail("command", "the command is empty") }
                app["script"] = .string(shell.command)
                app["args"] = .array([.string(shell.argument), .string(line)])
            case (nil, .array(let words)?), (.null?, .array(let words)?):
                let argv = words.compactMap(Ecosystem.scalarText)
                guard let program = argv.first, argv.count == words.count, !program.isEmpty else {
                    throw fail("entrypoint", "expected a non-empty list of words")
                }
                app["script"] = .string(program)
                app["args"] = .array(argv.dropFirst().map { .string($0) })
            case (nil, nil), (.null?, .null?), (.null?, nil), (nil, .null?):
                throw fail("command", "each process needs a command")
            case (_?, .array?):
                throw fail("entrypoint", "give a command or an entrypoint, not both")
            default:
                throw fail(command == nil ? "entrypoint" : "command",
                           command == nil ? "expected a list of words" : "expected a command line (a string)")
            }
            app["interpreter"] = .string("none")
        }

        /// `availability`: process-compose restarts nothing unless asked, a second apart.
        private mutating func readAvailability(into app: inout JSONObject) throws(ConfigError) {
            let availability = process["availability"]?.objectValue ?? JSONObject()
            let policy = availability["restart"]?.stringValue ?? "no"
            switch policy {
            case "always":
                app["autorestart"] = .bool(true)
            case "on_failure", "on-failure":
                app["autorestart"] = .bool(true)
                app["stop_exit_codes"] = .array([.int(0)])
            case "exit_on_failure":
                app["autorestart"] = .bool(false)
                warnings.append("\(file): '\(name)': availability.restart exit_on_failure: procd does not restart it, "
                    + "and keeps the other processes running when it fails")
            case "no":
                app["autorestart"] = .bool(false)
            default:
                throw fail("availability.restart", "expected always, on_failure, exit_on_failure or no, got '\(policy)'")
            }
            let backoff = availability["backoff_seconds"].map { $0 == .null ? 1 : $0.doubleValue } ?? 1
            guard let backoff, backoff >= 0 else { throw fail("availability.backoff_seconds", "expected seconds") }
            app["restart_delay"] = .int(Int(backoff * 1000))
            if let value = availability["max_restarts"], value != .null {
                guard let n = value.intValue, n >= 0 else { throw fail("availability.max_restarts", "expected a whole number") }
                // process-compose's 0 means no limit.
                app["max_restarts"] = .int(n == 0 ? 1_000_000 : min(n, 1_000_000))
            }
            for key in ["exit_on_end", "exit_on_skipped"] where availability[key]?.boolValue == true {
                warnings.append("\(file): '\(name)': availability.\(key) is not supported by procd; ignored")
            }
        }

        /// `shutdown`: the signal (a number or a name) and the time allowed, 10 s by default.
        private mutating func readShutdown(into app: inout JSONObject) throws(ConfigError) {
            let shutdown = process["shutdown"]?.objectValue ?? JSONObject()
            if let signal = shutdown["signal"], signal != .null {
                if let number = signal.intValue {
                    guard (1...64).contains(number) else { throw fail("shutdown.signal", "expected a signal number 1 to 64, got \(number)") }
                    app["kill_signal"] = .string(Signals.name(of: Int32(number)))
                } else if let text = signal.stringValue {
                    app["kill_signal"] = .string(text)
                } else {
                    throw fail("shutdown.signal", "expected a signal number or name, got \(signal.typeName)")
                }
            }
            let timeout = shutdown["timeout_seconds"].map { $0 == .null ? 10 : $0.doubleValue } ?? 10
            guard let timeout, timeout >= 0 else { throw fail("shutdown.timeout_seconds", "expected seconds") }
            app["kill_timeout"] = .int(Int(timeout * 1000))
            if let command = shutdown["command"], command != .null {
                guard let text = command.stringValue, !text.isEmpty else { throw fail("shutdown.command", "expected a command line") }
                app["stop_command"] = .string(text)
            }
            if shutdown["parent_only"]?.boolValue == true {
                warnings.append("\(file): '\(name)': shutdown.parent_only is not supported by procd; ignored (procd signals the whole process group)")
            }
        }

        /// `replicas`: one app of N instances, each told its number in PC_REPLICA_NUM.
        private func readReplicas(into app: inout JSONObject) throws(ConfigError) {
            app["instance_var"] = .string("PC_REPLICA_NUM")
            guard let value = process["replicas"], value != .null else { return }
            guard let n = value.intValue, (1...100_000).contains(n) else { throw fail("replicas", "expected a number from 1, got \(value.serialized())") }
            app["instances"] = .int(n)
        }
    }
}
