import ProcdCore
import ProcdPlatform
import ProcdWire

/// Turns `procctl start <script|command> [options]` into an app draft.
struct StartCommand {
    let arguments: ParsedArguments
    let cwd: String

    /// `--env KEY=VALUE` pairs; a word without '=' names an `env_NAME` block of a config.
    var environmentPairs: [(String, String)] {
        arguments.all("env").compactMap { pair in
            guard let eq = pair.firstIndex(of: "="), eq != pair.startIndex else { return nil }
            return (String(pair[..<eq]), String(pair[pair.index(after: eq)...]))
        }
    }

    var environmentNames: [String] { arguments.all("env").filter { !$0.contains("=") } }

    func draft() throws(CommandFailure) -> AppDraft {
        guard let target = arguments.operands.first else {
            throw CommandFailure("'start' needs a script, a command or a config file (see 'procctl start --help')", exitCode: 2)
        }
        if let name = environmentNames.first {
            throw CommandFailure("--env \(name): a script takes --env KEY=VALUE; environment names (env_\(name)) apply to config files", exitCode: 2)
        }
        var draft = AppDraft(script: target)
        draft.name = arguments.value("name")
        draft.args = Array(arguments.operands.dropFirst()) + arguments.passthrough
        draft.interpreter = arguments.value("interpreter")
        if let text = arguments.value("interpreter-args") { draft.interpreterArgs = try split(text) }
        draft.cwd = arguments.value("cwd").map { File.absolute($0, cwd: cwd) }
        draft.instances = arguments.value("instances")
        draft.envFiles = arguments.all("env-file").map { File.absolute($0, cwd: cwd) }
        for (key, value) in environmentPairs { draft.template.env[key] = value }
        if let namespace = arguments.value("namespace") { draft.template.namespace = namespace }
        try apply(to: &draft.template)
        return draft
    }

    private func split(_ line: String) throws(CommandFailure) -> [String] { try splitWords(line) }

    /// Applies the policy and log options given on the command line; with a config file
    /// they override what the file says.
    func apply(to spec: inout AppSpec) throws(CommandFailure) {
        try applyRunning(&spec)
        try applyPolicy(&spec)
        try applyLogs(&spec)
        try applyStack(&spec)
        try applyHealth(&spec)
        try applyIdentity(&spec)
    }
    /// An option's value as a duration: milliseconds, or with a unit (2s, 1m).
    private func milliseconds(_ option: String) throws(CommandFailure) -> Duration? {
        guard let text = arguments.value(option) else { return nil }
        guard let duration = Units.duration(text) else {
            throw CommandFailure("--\(option) expects milliseconds (or 2s, 1m), got '\(text)'", exitCode: 2)
        }
        return duration
    }

    /// --exec-mode, --balance, --port.
    private func applyRunning(_ spec: inout AppSpec) throws(CommandFailure) {
        if let text = arguments.value("exec-mode") {
            guard let mode = ExecMode.parse(text) else { throw CommandFailure("--exec-mode expects fork or cluster, got '\(text)'", exitCode: 2) }
            spec.execMode = mode
        }
        if let text = arguments.value("balance") {
            guard let balance = Balance.parse(text) else {
                throw CommandFailure("--balance expects round-robin, least-connections or shared, got '\(text)'", exitCode: 2)
            }
            spec.balance = balance
        }
        for text in arguments.all("port") {
            guard let address = ListenAddress.parse(text) else {
                throw CommandFailure("--port expects PORT or HOST:PORT (1-65535), got '\(text)'", exitCode: 2)
            }
            if !spec.listen.contains(address) { spec.listen.append(address) }
        }
    }

    /// The restart policy.
    private func applyPolicy(_ spec: inout AppSpec) throws(CommandFailure) {
        if arguments.has("no-autorestart") { spec.policy.autorestart = false }
        if let text = arguments.value("max-restarts") {
            guard let n = Int(text), n >= 0 else { throw CommandFailure("--max-restarts expects a whole number, got '\(text)'", exitCode: 2) }
            spec.policy.maxRestarts = n
        }
        if let d = try milliseconds("min-uptime") { spec.policy.minUptime = d }
        if let d = try milliseconds("restart-delay") { spec.policy.restartDelay = d }
        if let d = try milliseconds("exp-backoff-restart-delay") { spec.policy.expBackoffRestartDelay = d }
        if let d = try milliseconds("kill-timeout") { spec.policy.killTimeout = d }
        if let d = try milliseconds("listen-timeout") { spec.policy.listenTimeout = d }
        if arguments.has("wait-ready") { spec.policy.waitReady = true }
        if let codes = arguments.value("stop-exit-codes") {
            var parsed: [Int32] = []
            for word in codes.split(separator: ",") {
                guard let code = Int32(word.trimmingCharacters()) else {
                    throw CommandFailure("--stop-exit-codes expects numbers like 0,3, got '\(codes)'", exitCode: 2)
                }
                parsed.append(code)
            }
            spec.policy.stopExitCodes = parsed
        }
        if let signal = arguments.value("kill-signal") {
            guard let number = Signals.number(named: signal) else {
                throw CommandFailure("--kill-signal: unknown signal '\(signal)'", exitCode: 2)
            }
            spec.policy.killSignal = number
        }
    }

    /// Timestamps, log files and their rotation.
    private func applyLogs(_ spec: inout AppSpec) throws(CommandFailure) {
        if arguments.has("time") { spec.time = true }
        if let format = arguments.value("log-date-format") { spec.logDateFormat = format }
        if let text = arguments.value("log-max-size") {
            guard let size = Units.bytes(text), size > 0 else { throw CommandFailure("--log-max-size expects a size such as 10M, got '\(text)'", exitCode: 2) }
            spec.logMaxSize = size
        }
        if let text = arguments.value("log-retain") {
            guard let n = Int(text), (0...1000).contains(n) else { throw CommandFailure("--log-retain expects a number from 0 to 1000, got '\(text)'", exitCode: 2) }
            spec.logRetain = n
        }
        if arguments.has("no-merge-logs") { spec.mergeLogs = false }
        if let path = arguments.value("output") { spec.outFile = File.absolute(path, cwd: cwd) }
        if let path = arguments.value("error") { spec.errorFile = File.absolute(path, cwd: cwd) }
    }

    /// --depends-on.
    private func applyStack(_ spec: inout AppSpec) throws(CommandFailure) {
        for text in arguments.all("depends-on") {
            switch Dependency.cliForm(text) {
            case .success(let dependency):
                if !spec.dependsOn.contains(where: { $0.name == dependency.name }) { spec.dependsOn.append(dependency) }
            case .failure(let error):
                throw CommandFailure("--depends-on \(error.message)", exitCode: 2)
            }
        }
    }

    /// Watchdog, health checks, restart triggers and file watching.
    private func applyHealth(_ spec: inout AppSpec) throws(CommandFailure) {
        if let d = try milliseconds("watchdog") {
            guard d >= .milliseconds(10) else { throw CommandFailure("--watchdog must be at least 10 ms", exitCode: 2) }
            spec.watchdog = d
        }
        if let text = arguments.value("health-url") {
            guard let url = HealthURL.parse(text) else {
                throw CommandFailure("--health-url expects http://HOST:PORT/path, got '\(text)'", exitCode: 2)
            }
            spec.healthURL = url
        }
        if let d = try milliseconds("health-interval") {
            guard d >= .milliseconds(100) else { throw CommandFailure("--health-interval must be at least 100 ms", exitCode: 2) }
            spec.healthInterval = d
        }
        if let text = arguments.value("health-retries") {
            guard let n = Int(text), (1...1000).contains(n) else { throw CommandFailure("--health-retries expects 1 to 1000, got '\(text)'", exitCode: 2) }
            spec.healthRetries = n
        }
        if let text = arguments.value("max-memory-restart") {
            guard let size = Units.bytes(text), size > 0 else { throw CommandFailure("--max-memory-restart expects a size such as 200M, got '\(text)'", exitCode: 2) }
            spec.maxMemoryRestart = size
        }
        if let text = arguments.value("cron-restart") {
            do {
                _ = try Cron.parse(text)
            } catch {
                throw CommandFailure("--cron-restart: \(error.message)", exitCode: 2)
            }
            spec.cronRestart = text
        }
        let watched = arguments.all("watch")
        if !watched.isEmpty { spec.watch = watched.filter { !$0.isEmpty }.map { File.absolute($0, cwd: cwd) } }
        if let d = try milliseconds("watch-delay") { spec.watchDelay = d }
        let ignored = arguments.all("ignore-watch")
        if !ignored.isEmpty { spec.ignoreWatch = ignored }
    }

    /// --user and --group.
    private func applyIdentity(_ spec: inout AppSpec) throws(CommandFailure) {
        if let user = arguments.value("user") { spec.user = user }
        if let group = arguments.value("group") { spec.group = group }
        if (spec.user != nil || spec.group != nil) && Processes.effectiveUser != 0 {
            throw CommandFailure("--user and --group need procd running as root; run procctl as root, or drop them", exitCode: 2)
        }
    }
}

/// Splits a command line the shell's way; an unterminated quote is a usage error.
func splitWords(_ line: String) throws(CommandFailure) -> [String] {
    do {
        return try ShellWords.split(line)
    } catch {
        throw CommandFailure("unterminated quote in '\(line)'", exitCode: 2)
    }
}

extension Substring {
    func trimmingCharacters() -> String {
        var s = self
        while s.first?.isWhitespace == true { s.removeFirst() }
        while s.last?.isWhitespace == true { s.removeLast() }
        return String(s)
    }
}
