import ProcdCore
import ProcdPlatform
import ProcdWire

/// Turns `procctl start …` into an app definition, checking everything it can first.
struct StartCommand {
    let arguments: ParsedArguments
    let cwd: String
    let environment: [String: String]

    func buildSpec() throws(CommandFailure) -> AppSpec {
        guard let target = arguments.operands.first else {
            throw CommandFailure("'start' needs a script or a command (see 'procctl start --help')", exitCode: 2)
        }
        let extraArgs = Array(arguments.operands.dropFirst()) + arguments.passthrough
        let workDir = arguments.value("cwd").map { File.absolute($0, cwd: cwd) } ?? cwd
        guard File.isDirectory(workDir) else { throw CommandFailure("working directory '\(workDir)' does not exist") }

        var env = environment
        for file in arguments.all("env-file") { try readEnvFile(file, into: &env) }
        for pair in arguments.all("env") {
            guard let eq = pair.firstIndex(of: "="), eq != pair.startIndex else {
                throw CommandFailure("--env expects KEY=VALUE, got '\(pair)'", exitCode: 2)
            }
            env[String(pair[..<eq])] = String(pair[pair.index(after: eq)...])
        }
        let searchPath = env["PATH"]

        var command: [String]
        var script: String?
        var interpreterName: String?
        var defaultName: String
        let scriptPath = File.absolute(target, cwd: workDir)
        let interpreterArgs = try arguments.value("interpreter-args").map(split) ?? []

        if File.isRegularFile(scriptPath) {
            script = scriptPath
            defaultName = Interpreter.defaultName(for: scriptPath)
            let chosen = arguments.value("interpreter") ?? Interpreter.forScript(scriptPath)
            if let chosen, chosen != "none" {
                guard let interpreter = Spawn.resolve(chosen, searchPath: searchPath, cwd: workDir) else {
                    throw CommandFailure("interpreter '\(chosen)' for \(target) was not found on PATH; install it or pass --interpreter")
                }
                interpreterName = chosen
                command = [interpreter] + interpreterArgs + [scriptPath]
            } else {
                guard File.isExecutable(scriptPath) else {
                    throw CommandFailure("\(target) is not executable and has no known interpreter; chmod +x it or pass --interpreter")
                }
                command = [scriptPath]
            }
        } else if File.isDirectory(scriptPath) {
            throw CommandFailure("\(target) is a directory; name a script or a command")
        } else if target.contains(where: { $0 == " " || $0 == "\t" }) {
            if ShellWords.needsShell(target) {
                command = ["/bin/sh", "-c", target]
                defaultName = (try? ShellWords.split(target).first).flatMap { $0 }.map(Interpreter.defaultName) ?? "sh"
            } else {
                command = try split(target)
                guard let program = command.first else { throw CommandFailure("the command line is empty", exitCode: 2) }
                guard let path = Spawn.resolve(program, searchPath: searchPath, cwd: workDir) else {
                    throw CommandFailure("'\(program)' was not found on PATH")
                }
                command[0] = path
                defaultName = Interpreter.defaultName(for: program)
            }
        } else if !target.contains("/"), let path = Spawn.resolve(target, searchPath: searchPath, cwd: workDir) {
            command = [path]
            defaultName = Interpreter.defaultName(for: target)
        } else {
            throw CommandFailure("script '\(target)' does not exist (looked in \(workDir)) and is not a program on PATH")
        }
        command += extraArgs

        var spec = AppSpec(name: arguments.value("name") ?? defaultName, command: command, cwd: workDir)
        if let problem = AppSpec.problem(withName: spec.name) {
            throw CommandFailure("invalid app name '\(spec.name)': \(problem); choose one with --name", exitCode: 2)
        }
        spec.script = script
        spec.interpreter = interpreterName
        spec.env = env
        if let namespace = arguments.value("namespace") { spec.namespace = namespace }
        if let instances = arguments.value("instances") { spec.instances = try Self.instances(instances) }
        try applyPolicy(to: &spec)
        return spec
    }

    private func split(_ line: String) throws(CommandFailure) -> [String] {
        do {
            return try ShellWords.split(line)
        } catch {
            throw CommandFailure("unterminated quote in '\(line)'", exitCode: 2)
        }
    }

    /// `N`, `max` or `0` (every CPU), `-1` (every CPU but one, at least one).
    static func instances(_ text: String) throws(CommandFailure) -> Int {
        let cpus = Processes.cpuCount
        switch text {
        case "max", "0": return cpus
        case "-1": return max(cpus - 1, 1)
        default:
            guard let n = Int(text), n > 0, n <= 100_000 else {
                throw CommandFailure("--instances expects a number, 'max' or -1, got '\(text)'", exitCode: 2)
            }
            return n
        }
    }

    private func applyPolicy(to spec: inout AppSpec) throws(CommandFailure) {
        func milliseconds(_ option: String) throws(CommandFailure) -> Duration? {
            guard let text = arguments.value(option) else { return nil }
            guard let duration = Units.duration(text) else {
                throw CommandFailure("--\(option) expects milliseconds (or 2s, 1m), got '\(text)'", exitCode: 2)
            }
            return duration
        }
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
        for text in arguments.all("port") {
            guard let address = ListenAddress.parse(text) else {
                throw CommandFailure("--port expects PORT or HOST:PORT (1-65535), got '\(text)'", exitCode: 2)
            }
            if !spec.listen.contains(address) { spec.listen.append(address) }
        }
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
        if arguments.has("time") { spec.time = true }
        spec.logDateFormat = arguments.value("log-date-format")
        if let text = arguments.value("log-max-size") {
            guard let size = Units.bytes(text), size > 0 else { throw CommandFailure("--log-max-size expects a size such as 10M, got '\(text)'", exitCode: 2) }
            spec.logMaxSize = size
        }
        if let text = arguments.value("log-retain") {
            guard let n = Int(text), (0...1000).contains(n) else { throw CommandFailure("--log-retain expects a number from 0 to 1000, got '\(text)'", exitCode: 2) }
            spec.logRetain = n
        }
        if arguments.has("no-merge-logs") { spec.mergeLogs = false }
        spec.outFile = arguments.value("output").map { File.absolute($0, cwd: cwd) }
        spec.errorFile = arguments.value("error").map { File.absolute($0, cwd: cwd) }
    }

    private func readEnvFile(_ path: String, into env: inout [String: String]) throws(CommandFailure) {
        let absolute = File.absolute(path, cwd: cwd)
        let bytes: [UInt8]
        do {
            bytes = try File.read(absolute, limit: 4 << 20)
        } catch {
            throw CommandFailure("unable to read env file \(absolute): \(error.reason)")
        }
        do {
            for (key, value) in try DotEnv.parse(String(decoding: bytes, as: UTF8.self)) { env[key] = value }
        } catch {
            throw CommandFailure("\(absolute):\(error.line): \(error.message)")
        }
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
