import ProcdCore
import ProcdPlatform
import ProcdWire

/// The `procctl` command line: parse, talk to procd, print, return an exit code.
public struct Procctl {
    let console: Console
    let home: ProcdHome
    let cwd: String
    /// `--host`: the daemon is on this host, reached through ssh.
    var remote: RemoteHost?
    /// `--connect-timeout`: seconds ssh may take to reach `remote`, or to hear from it.
    var connectTimeout = SSHTransport.defaultTimeout

    public init() {
        console = Console.detect()
        cwd = File.currentDirectory() ?? "/"
        home = Environment.procdHome(explicit: nil).home
    }

    public static func run(_ arguments: [String]) -> Never {
        // A parent may have left signals blocked; Ctrl-C and SIGTERM must end a `logs -f`.
        SignalFD.unblockAll()
        // A daemon that refuses us closes the socket: EPIPE is an error to report, not death.
        SignalFD.ignoreBrokenPipe()
        Processes.exit(Procctl().main(Array(arguments.dropFirst())))
    }

    public func main(_ arguments: [String]) -> Int32 {
        let global: GlobalOptions
        do {
            global = try GlobalOptions.parse(arguments)
        } catch {
            console.error(error.message + " (see 'procctl help')")
            return 2
        }
        switch global.hosts.count {
        case 0: return run(global.words)
        case 1:
            var remote = self
            remote.remote = global.hosts[0]
            remote.connectTimeout = global.connectTimeout
            return remote.run(global.words)
        default:
            return MultiHost(console: console, global: global).run()
        }
    }

    private func run(_ words: [String]) -> Int32 {
        guard let first = words.first else {
            console.out(Help.overview())
            return 0
        }
        if first == "-h" || first == "--help" {
            console.out(Help.overview())
            return 0
        }
        if first == "-v" || first == "--version" {
            console.out(ProcdVersion.line("procctl", commit: BuildStamp.commit))
            return 0
        }
        if first == "__complete" { return completeNames() }
        guard let id = CommandTable.command(named: first) else {
            let names = CommandTable.commands.flatMap { [$0.name] + $0.aliases }
            var message = "unknown command '\(first)'"
            if let guess = TargetSelector.closest(to: first, in: names) { message += " (did you mean '\(guess)'?)" }
            console.error(message + "; see 'procctl help'")
            return 2
        }
        let command = id.spec
        do {
            let parsed = try ParsedArguments.parse(Array(words.dropFirst()), for: command)
            if parsed.wantsHelp {
                console.out(Help.text(for: command))
                return 0
            }
            return try execute(id, command, parsed)
        } catch let error as UsageError {
            console.error("\(error.message) (see 'procctl \(command.name) --help')")
            return 2
        } catch let failure as CommandFailure {
            console.error((remote.map { "\($0): " } ?? "") + failure.message)
            return failure.exitCode
        } catch {
            console.error("\(error)")
            return 1
        }
    }

    /// Hidden command for shell completions: app names and process ids, one per line.
    /// Never starts the daemon and prints nothing when none answers.
    private func completeNames() -> Int32 {
        guard let client = try? connectIfRunning(), let result = try? client.call(.list) else { return 0 }
        var names: [String] = []
        var ids: [String] = []
        for item in result.arrayValue ?? [] {
            if let name = item["name"]?.stringValue, !names.contains(name) { names.append(name) }
            if let id = item["id"]?.intValue { ids.append(String(id)) }
        }
        console.out((names + ids).map { $0 + "\n" }.joined())
        return 0
    }

    func connect() throws(CommandFailure) -> DaemonClient {
        if let remote { return try DaemonClient.overSSH(remote, timeout: connectTimeout) }
        return try DaemonClient.connect(home: home)
    }

    /// Connects a following command again after a daemon restart; never starts a daemon.
    var reconnector: Reconnector {
        Reconnector(console: console, connect: { () throws(CommandFailure) -> DaemonClient? in try connectIfRunning() })
    }

    /// The daemon if it runs; a remote one is always asked (its bridge starts it).
    func connectIfRunning() throws(CommandFailure) -> DaemonClient? {
        if let remote { return try DaemonClient.overSSH(remote, timeout: connectTimeout) }
        return try DaemonClient.connectIfRunning(home: home)
    }

    /// Runs `command`: one case a command, so none can be left without its handler.
    private func execute(_ id: CommandName, _ command: CommandSpec, _ parsed: ParsedArguments) throws -> Int32 {
        switch id {
        case .help: return try help(parsed)
        case .version: return try version()
        case .ping: return try ping()
        case .kill: return try killDaemon()
        case .start: return try start(parsed)
        case .events: return try EventsCommand(console: console).run(parsed, client: connect(), reconnect: reconnector)
        case .metrics: return try metrics()
        case .web: return try WebCommand(console: console).run(parsed, client: connect())
        case .monit: return try MonitCommand(console: console, client: connect()).run()
        case .save: return try save()
        case .resurrect: return try resurrect()
        case .startup: return try StartupCommand(console: console, home: home).install(parsed)
        case .unstartup: return try StartupCommand(console: console, home: home).remove(parsed)
        case .update: return try updateDaemon()
        case .scale: return try scale(parsed)
        case .send: return try send(parsed)
        case .startOrRestart: return try startOr(.restart, parsed, command: command)
        case .startOrReload: return try startOr(.reload, parsed, command: command)
        case .prettylist: return try prettyList()
        case .export: return try export(parsed)
        case .graph: return try graph(parsed)
        case .bridge: return try DaemonClient.connect(home: home).bridge()
        case .stop, .restart, .reload, .delete, .reset: return try changeState(command, parsed)
        case .list: return try list(parsed)
        case .jlist: return try Views(console: console).list(try connect().call(.list), json: true, sort: nil)
        case .describe: return try describe(command, parsed)
        case .logs: return try LogsCommand(console: console).run(parsed, client: connect(), reconnect: reconnector)
        case .flush: return try flush(parsed)
        case .reloadLogs: return try reloadLogs()
        case .signal: return try signal(parsed)
        case .env: return try environment(parsed)
        }
    }

    private func help(_ parsed: ParsedArguments) throws -> Int32 {
        if let name = parsed.operands.first {
            guard let spec = CommandTable.find(name) else { throw UsageError("no command named '\(name)'") }
            console.out(Help.text(for: spec))
        } else {
            console.out(Help.overview())
        }
        return 0
    }

    /// A target that names a configuration file here (not an app of that name).
    func isConfigFile(_ target: String) -> Bool {
        ConfigLoader.isConfig(target) && File.exists(File.absolute(target, cwd: cwd))
    }

    var configs: ConfigCommands {
        ConfigCommands(console: console, cwd: cwd, connect: { () throws(CommandFailure) in try DaemonClient.connect(home: home) })
    }

    private func start(_ parsed: ParsedArguments) throws -> Int32 {
        if let target = parsed.operands.first, ConfigLoader.isConfig(target) {
            return try configs.start(target, parsed)
        }
        if parsed.operands.isEmpty && parsed.passthrough.isEmpty {
            guard let found = ConfigLoader.findDefault(in: cwd) else { throw ConfigLoader.nothingToStart("procctl start", in: cwd) }
            console.err("procctl: starting \(found)\n")
            return try configs.start(found, parsed)
        }
        // As in pm2, `start NAME` (or an id) of an app in the table starts it as defined;
        // only a command line with arguments, an option or -f defines it anew.
        if parsed.operands.count == 1, parsed.passthrough.isEmpty, parsed.values.isEmpty, parsed.flags.isEmpty {
            if let result = try startExisting(parsed.operands[0]) {
                return report(result["processes"]?.arrayValue ?? [], verb: "start")
            }
        }
        let command = StartCommand(arguments: parsed, cwd: cwd)
        var resolver = AppResolver(baseDirectory: cwd, environment: Environment.all(), lenient: parsed.has("dry-run"))
        let spec = try resolver.resolve(try command.draft())
        for warning in resolver.warnings { console.warning(warning) }
        if !spec.dependsOn.isEmpty && !parsed.has("dry-run") {
            // An app that waits for one that does not exist would wait for ever.
            let known = configs.tableNames()
            if case .failure(let problem) = DependencyGraph.make([(spec.name, spec.dependsOn)], known: known) {
                throw CommandFailure("--depends-on: \(problem); start it first", exitCode: 1)
            }
        }
        if parsed.has("dry-run") {
            console.out(spec.json.serialized(pretty: true) + "\n")
            return 0
        }
        do {
            _ = try StartBatch.requests([spec.json], force: false)
        } catch {
            throw CommandFailure(error.message)
        }
        let result = try connect().call(.start, ["app": spec.json, "force": .bool(parsed.has("force"))])
        if let replaced = result["apps"]?.arrayValue?.first?["replaced"]?.stringValue {
            console.out("\(spec.name): definition replaced: \(spec.command.joined(separator: " ")) (was: \(replaced))\n")
        }
        return report(result["processes"]?.arrayValue ?? [], verb: "start")
    }

    /// Starts the app or process `target` names as defined; nil when the table has none
    /// (the word is then a program to start).
    private func startExisting(_ target: String) throws(CommandFailure) -> JSON? {
        let client = try connect()
        do {
            return try client.call(.start, ["target": .string(target)])
        } catch {
            if error.code == ErrorCode.notFound.rawValue { return nil }
            throw error
        }
    }

    /// One line per process; non-zero when any ended errored.
    func report(_ processes: [JSON], verb: String) -> Int32 {
        var failed = false
        for entry in processes {
            guard let p = ProcessSnapshot(json: entry) else { continue }
            let label = "\(p.name) (id \(p.id))"
            if entry["deleted"]?.boolValue == true {
                console.out("\(label): deleted\n")
            } else if p.status == .errored && !["stop", "delete", "reset"].contains(verb) {
                failed = true
                console.err("\(label): error: errored\(p.reason.map { ": \($0)" } ?? ""); see 'procctl logs \(p.name)'\n")
                console.lastStderrLine(entry)
            } else if entry["start_failed"]?.boolValue == true {
                failed = true
                console.err("\(label): error: \(p.reason ?? "it did not start"); procd keeps retrying (see 'procctl describe \(p.name)')\n")
                console.lastStderrLine(entry)
            } else {
                console.out("\(label): \(Views(console: console).paintStatus(p.status))\(p.pid.map { ", pid \($0)" } ?? "")\(p.notReady.map { "; \($0)" } ?? "")\n")
            }
        }
        return failed ? 1 : 0
    }
}

extension JSONObject {
    init(_ dictionary: [String: String]) {
        self.init()
        for key in dictionary.keys.sorted() { self[key] = .string(dictionary[key] ?? "") }
    }
}
