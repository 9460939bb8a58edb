import ProcdCore
import ProcdPlatform

/// Turns an `AppDraft` into an `AppSpec`: finds the script and its interpreter, reads env
/// files, counts CPUs. With `lenient` (for --dry-run) what is missing on this machine is a
/// warning instead of an error, so any config can be inspected anywhere.
struct AppResolver {
    /// The directory relative paths start from (the config file's, or the current one).
    let baseDirectory: String
    /// The environment the apps inherit (the one procctl runs in).
    let environment: [String: String]
    var lenient = false
    private(set) var warnings: [String] = []

    init(baseDirectory: String, environment: [String: String], lenient: Bool = false) {
        self.baseDirectory = baseDirectory
        self.environment = environment
        self.lenient = lenient
    }

    private mutating func missing(_ message: String) throws(CommandFailure) {
        if lenient { warnings.append(message) } else { throw CommandFailure(message) }
    }

    /// What runs: the argv, the script as named (if any), the interpreter, and the name the
    /// app gets unless it is given one.
    private struct Program {
        var command: [String]
        var script: String?
        var interpreter: String?
        var defaultName: String
    }

    mutating func resolve(_ draft: AppDraft) throws(CommandFailure) -> AppSpec {
        let workDir = draft.cwd.map { File.absolute($0, cwd: baseDirectory) } ?? baseDirectory
        if !File.isDirectory(workDir) { try missing("working directory '\(workDir)' does not exist") }

        var env = environment
        var fromFiles: [String: String] = [:]
        for file in draft.envFiles { try readEnvFile(File.absolute(file, cwd: workDir), into: &fromFiles) }
        for (key, value) in fromFiles { env[key] = value }
        for (key, value) in draft.template.env { env[key] = value }

        let program = try self.program(draft, searchPath: env["PATH"], workDir: workDir)
        var spec = draft.template
        spec.name = draft.name ?? program.defaultName
        spec.command = program.command + draft.args
        spec.cwd = workDir
        spec.script = program.script
        spec.interpreter = program.interpreter
        spec.env = env
        spec.definedEnv = Set(fromFiles.keys).union(draft.template.env.keys)
        try settle(&spec, draft, workDir: workDir)
        return spec
    }

    /// The name, the instances and the exec mode checked; log paths made absolute.
    private mutating func settle(_ spec: inout AppSpec, _ draft: AppDraft, workDir: String) throws(CommandFailure) {
        if let problem = AppSpec.problem(withNewName: spec.name) {
            throw CommandFailure("invalid app name '\(spec.name)': \(problem); choose another name", exitCode: 2)
        }
        switch draft.instanceCount(cpus: Processes.cpuCount) {
        case .success(let n): spec.instances = n
        case .failure(let error): throw CommandFailure("\(spec.name): \(error)", exitCode: 2)
        }
        if spec.execMode == .cluster && !spec.isNode {
            warnings.append("\(spec.name): exec_mode cluster shares listening sockets for Node apps only; "
                + "other programs share a port with --port (socket activation)")
        }
        spec.execMode = ExecMode.resolve(asked: spec.execMode, isNode: spec.isNode, instances: spec.instances)
        if let out = spec.outFile { spec.outFile = File.absolute(out, cwd: workDir) }
        if let err = spec.errorFile { spec.errorFile = File.absolute(err, cwd: workDir) }
    }

    /// A command line, a script file (with its interpreter), or a program on PATH.
    private mutating func program(_ draft: AppDraft, searchPath: String?, workDir: String) throws(CommandFailure) -> Program {
        let target = draft.script
        let scriptPath = File.absolute(target, cwd: workDir)
        let chosen = draft.interpreter.flatMap { $0.isEmpty ? nil : $0 }
        if draft.isCommandLine || (chosen == nil && !File.exists(scriptPath) && target.contains(where: { $0 == " " || $0 == "\t" })) {
            return try commandLine(target, searchPath: searchPath, workDir: workDir)
        }
        if File.isRegularFile(scriptPath) || (lenient && (target.contains("/") || Interpreter.forScript(target) != nil)) {
            return try scriptFile(draft, scriptPath, interpreter: chosen, searchPath: searchPath, workDir: workDir)
        }
        if File.isDirectory(scriptPath) { throw CommandFailure("\(target) is a directory; name a script or a command") }
        let name = Interpreter.defaultName(for: target)
        if !target.contains("/"), let path = Spawn.resolve(target, searchPath: searchPath, cwd: workDir) {
            return Program(command: [path], defaultName: name)
        }
        if lenient && !target.contains("/") {
            warnings.append("'\(target)' is neither a file in \(workDir) nor a program on PATH here")
            return Program(command: [target], defaultName: name)
        }
        throw CommandFailure("script '\(target)' does not exist (looked in \(workDir)) and is not a program on PATH")
    }

    private mutating func commandLine(_ target: String, searchPath: String?, workDir: String) throws(CommandFailure) -> Program {
        if ShellWords.needsShell(target) {
            let name = (try? ShellWords.split(target))?.first.map(Interpreter.defaultName) ?? "sh"
            return Program(command: ["/bin/sh", "-c", target], defaultName: name)
        }
        var command = try split(target)
        guard let program = command.first else { throw CommandFailure("the command line is empty", exitCode: 2) }
        if let path = Spawn.resolve(program, searchPath: searchPath, cwd: workDir) {
            command[0] = path
        } else {
            try missing("'\(program)' was not found on PATH")
        }
        return Program(command: command, defaultName: Interpreter.defaultName(for: program))
    }

    private mutating func scriptFile(_ draft: AppDraft, _ scriptPath: String, interpreter chosen: String?, searchPath: String?,
                                     workDir: String) throws(CommandFailure) -> Program {
        let target = draft.script
        if !File.isRegularFile(scriptPath) { warnings.append("script \(scriptPath) does not exist here") }
        let name = Interpreter.defaultName(for: scriptPath)
        guard let interpreter = chosen ?? Interpreter.forScript(scriptPath), interpreter != "none" else {
            if !lenient && !File.isExecutable(scriptPath) {
                throw CommandFailure("\(target) is not executable and has no known interpreter; chmod +x it or give an interpreter")
            }
            return Program(command: [scriptPath], script: scriptPath, defaultName: name)
        }
        let base = interpreter.split(separator: "@").first.map(String.init) ?? interpreter   // pm2's node@16 form
        var path = base
        if let found = Spawn.resolve(base, searchPath: searchPath, cwd: workDir) {
            path = found
        } else {
            try missing("interpreter '\(interpreter)' for \(target) was not found\(base.contains("/") ? "" : " on PATH"); install it or set the interpreter")
        }
        return Program(command: [path] + draft.interpreterArgs + [scriptPath], script: scriptPath, interpreter: interpreter, defaultName: name)
    }

    private func split(_ line: String) throws(CommandFailure) -> [String] { try splitWords(line) }

    private mutating func readEnvFile(_ path: String, into env: inout [String: String]) throws(CommandFailure) {
        let bytes: [UInt8]
        do {
            bytes = try File.read(path, limit: 4 << 20)
        } catch {
            try missing("unable to read env file \(path): \(error.reason)")
            return
        }
        do {
            for (key, value) in try DotEnv.parse(String(decoding: bytes, as: UTF8.self)) { env[key] = value }
        } catch {
            throw CommandFailure("\(path):\(error.line): \(error.message)")
        }
    }
}
