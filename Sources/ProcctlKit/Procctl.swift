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
            console.out("procctl \(ProcdVersion.current)\n")
            return 0
        }
        if first == "__complete" { return completeNames() }
        guard let command = CommandTable.find(first) else {
            let names = CommandTable.commands.flatMap { [$0.name] + $0.aliases }
            var message = "unknown command '\(first)'"
            if let guess = TargetSelector.closest(to: first, in: names) { message += " (did you mean '\(guess)'?)" }
            console.error(message + "; see 'procctl help'")
            return 2
        }
        do {
            let parsed = try ParsedArguments.parse(Array(words.dropFirst()), for: command)
            if parsed.wantsHelp {
                console.out(Help.text(for: command))
                return 0
            }
            return try execute(command, parsed)
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
        if let remote { return try DaemonClient.overSSH(remote) }
        return try DaemonClient.connect(home: home)
    }

    /// The daemon if it runs; a remote one is always asked (its bridge starts it).
    func connectIfRunning() throws(CommandFailure) -> DaemonClient? {
        if let remote { return try DaemonClient.overSSH(remote) }
        return try DaemonClient.connectIfRunning(home: home)
    }

    private func targets(_ parsed: ParsedArguments, _ command: CommandSpec) throws(UsageError) -> [String] {
        guard !parsed.operands.isEmpty else {
            throw UsageError("'\(command.name)' needs a target: a process id, an app name, a namespace or 'all'")
        }
        return parsed.operands
    }

    private func execute(_ command: CommandSpec, _ parsed: ParsedArguments) throws -> Int32 {
        switch command.name {
        case "help":
            if let name = parsed.operands.first {
                guard let spec = CommandTable.find(name) else { throw UsageError("no command named '\(name)'") }
                console.out(Help.text(for: spec))
            } else {
                console.out(Help.overview())
            }
            return 0
        case "version":
            console.out("procctl \(ProcdVersion.current)\n")
            if let client = try connectIfRunning() {
                let info = try client.call(.version)
                console.out("procd \(info["version"]?.stringValue ?? "?") (pid \(info["pid"]?.intValue ?? 0))\n")
            } else {
                console.out("procd not running\n")
            }
            return 0
        case "ping":
            let info = try connect().call(.ping)
            console.out("pong: procd \(info["version"]?.stringValue ?? "?") (pid \(info["pid"]?.intValue ?? 0)), \(info["processes"]?.intValue ?? 0) process(es)\n")
            return 0
        case "kill":
            guard let client = try connectIfRunning() else {
                console.out("procd is not running\n")
                return 0
            }
            let result = try client.call(.kill)
            let count = result["processes"]?.arrayValue?.count ?? 0
            // The daemon closes the socket as it exits; wait for that so 'kill' returns after it.
            _ = try? client.readReply()
            console.out("procd stopped (\(count) process(es) stopped)\n")
            return 0
        case "start":
            return try start(parsed)
        case "events":
            return try EventsCommand(console: console).run(parsed, client: connect())
        case "metrics":
            let result = try connect().call(.metrics)
            console.out(result["text"]?.stringValue ?? "")
            return 0
        case "web":
            return try WebCommand(console: console).run(parsed, client: connect())
        case "monit":
            return try MonitCommand(console: console, client: connect()).run()
        case "save":
            let result = try connect().call(.save)
            console.out("saved \(result["apps"]?.intValue ?? 0) app(s) to \(result["file"]?.stringValue ?? home.dumpFile)\n")
            return 0
        case "resurrect":
            let result = try connect().call(.resurrect)
            let processes = result["processes"]?.arrayValue ?? []
            if processes.isEmpty { console.out("nothing to resurrect: every app of \(home.dumpFile) is already in the table\n") }
            return report(processes, verb: "resurrect")
        case "startup":
            return try StartupCommand(console: console, home: home).install(parsed)
        case "unstartup":
            return try StartupCommand(console: console, home: home).remove(parsed)
        case "update":
            guard let client = try connectIfRunning() else {
                console.out("procd is not running; the next command starts the new version\n")
                return 0
            }
            let result = try client.call(.update)
            console.out("procd updated in place: \(result["previous_version"]?.stringValue ?? "?") -> \(result["version"]?.stringValue ?? "?"), pid \(result["pid"]?.intValue ?? 0), \(result["processes"]?.intValue ?? 0) process(es) kept\n")
            return 0
        case "scale":
            guard parsed.operands.count == 2 else { throw UsageError("'scale' needs an app and a count, e.g. 'procctl scale api 4' or 'scale api +2'") }
            let count = parsed.operands[1]
            let digits = count.hasPrefix("+") || count.hasPrefix("-") ? count.dropFirst() : Substring(count)
            guard !digits.isEmpty, digits.allSatisfy(\.isASCII), Int(digits) != nil else {
                throw UsageError("'\(count)' is not a count: use N, +N or -N, e.g. 'procctl scale api 4'")
            }
            let result = try connect().call(.scale, ["app": .string(parsed.operands[0]), "count": .string(parsed.operands[1])])
            return report(result["processes"]?.arrayValue ?? [], verb: "scale")
        case "send":
            guard parsed.operands.count >= 2, let text = parsed.operands.last else {
                throw UsageError("'send' needs a target and a JSON message, e.g. procctl send api '{\"reload\":true}'")
            }
            let message: JSON
            do {
                message = try JSONParser.parse(text)
            } catch {
                throw UsageError("the message is not valid JSON (\(error)); quote strings, e.g. '\"hello\"'")
            }
            let result = try connect().call(.send, [
                "targets": .array(parsed.operands.dropLast().map { .string($0) }), "message": message,
            ])
            return reportDeliveries(result, what: "sent")
        case "startOrRestart":
            return try startOr(.restart, parsed, command: command)
        case "startOrReload", "startOrGracefulReload":
            return try startOr(.reload, parsed, command: command)
        case "prettylist":
            return try prettyList()
        case "export":
            return try export(parsed)
        case "bridge":
            return try DaemonClient.connect(home: home).bridge()
        case "stop", "restart", "reload", "delete", "reset":
            var given = try targets(parsed, command)
            var started: Int32 = 0
            if command.name == "restart" || command.name == "reload" {
                // As pm2 does: a file's apps not in the table yet are started.
                (started, given) = try startMissing(given, parsed)
                if given.isEmpty { return started }
            }
            let expanded = try expand(given, parsed)
            guard !expanded.isEmpty else { throw CommandFailure("the configuration file names no apps") }
            let wire = WireCommand(rawValue: command.name) ?? .list
            if command.name == "restart" {
                let fileEnvironments = parsed.has("update-env")
                    ? try given.filter { isConfigFile($0) }
                        .reduce(into: [String: [String: String]]()) { $0.merge(try configs.environments($1, parsed)) { $1 } }
                    : [:]
                var env: [String: String] = parsed.has("update-env") && fileEnvironments.isEmpty ? Environment.all() : [:]
                for (key, value) in StartCommand(arguments: parsed, cwd: cwd).environmentPairs { env[key] = value }
                if !fileEnvironments.isEmpty {
                    // Each app of the file gets the environment the file now gives it.
                    var status: Int32 = 0
                    let client = try connect()
                    for name in expanded {
                        var appEnv = fileEnvironments[name] ?? [:]
                        for (key, value) in env { appEnv[key] = value }
                        let result = try client.call(.restart, ["targets": .array([.string(name)]), "env": .object(JSONObject(appEnv))])
                        status = max(status, report(result["processes"]?.arrayValue ?? [], verb: "restart"))
                    }
                    return status
                }
                var args: JSONObject = ["targets": .array(expanded.map { .string($0) })]
                if !env.isEmpty { args["env"] = .object(JSONObject(env)) }
                let result = try connect().call(wire, args)
                return max(started, report(result["processes"]?.arrayValue ?? [], verb: command.name))
            }
            let result = try connect().call(wire, ["targets": .array(expanded.map { .string($0) })])
            return max(started, report(result["processes"]?.arrayValue ?? [], verb: command.name))
        case "list":
            let json = parsed.has("json")
            // The table needs only its columns; --json gets every field.
            let result = try connect().call(.list, json ? [:] : ["compact": .bool(true)])
            return try Views(console: console).list(result, json: json, sort: parsed.value("sort"))
        case "jlist":
            return try Views(console: console).list(try connect().call(.list), json: true, sort: nil)
        case "describe":
            let result = try connect().call(.describe, ["targets": .array(try targets(parsed, command).map { .string($0) })])
            return Views(console: console).describe(result.arrayValue ?? [], json: parsed.has("json"))
        case "logs":
            return try LogsCommand(console: console).run(parsed, client: connect())
        case "flush":
            var args: JSONObject = [:]
            if !parsed.operands.isEmpty { args["targets"] = .array(parsed.operands.map { .string($0) }) }
            let result = try connect().call(.flush, args)
            for path in result["files"]?.arrayValue?.compactMap(\.stringValue) ?? [] { console.out("flushed \(path)\n") }
            return 0
        case "reload-logs":
            let result = try connect().call(.reloadLogs)
            console.out("reopened \(result["files"]?.intValue ?? 0) log file(s)\n")
            return 0
        case "signal":
            guard parsed.operands.count >= 2 else { throw UsageError("'signal' needs a signal and a target, e.g. 'procctl signal SIGUSR2 api'") }
            guard Signals.number(named: parsed.operands[0]) != nil else { throw UsageError("unknown signal '\(parsed.operands[0])'") }
            let result = try connect().call(.signal, [
                "signal": .string(parsed.operands[0]),
                "targets": .array(parsed.operands.dropFirst().map { .string($0) }),
            ])
            return reportDeliveries(result, what: "sent \(Signals.name(of: Signals.number(named: parsed.operands[0]) ?? 0))")
        case "env":
            return try environment(parsed)
        default:
            throw UsageError("'\(command.name)' is not implemented")
        }
    }

    /// A target that names a configuration file here (not an app of that name).
    func isConfigFile(_ target: String) -> Bool {
        ConfigLoader.isConfig(target) && File.exists(File.absolute(target, cwd: cwd))
    }

    var configs: ConfigCommands {
        ConfigCommands(console: console, cwd: cwd, connect: { () throws(CommandFailure) in try DaemonClient.connect(home: home) })
    }

    /// Targets with configuration files replaced by the names of their apps.
    private func expand(_ targets: [String], _ parsed: ParsedArguments) throws(CommandFailure) -> [String] {
        var out: [String] = []
        for target in targets {
            if isConfigFile(target) {
                out += try configs.names(target, parsed)
            } else {
                out.append(target)
            }
        }
        return out
    }

    private func start(_ parsed: ParsedArguments) throws -> Int32 {
        if let target = parsed.operands.first, ConfigLoader.isConfig(target) {
            return try configs.start(target, parsed)
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
        if parsed.has("dry-run") {
            console.out(spec.json.serialized(pretty: true) + "\n")
            return 0
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

    /// One line per process for `signal` and `send`; non-zero when any was not delivered.
    private func reportDeliveries(_ result: JSON, what: String) -> Int32 {
        var failed = false
        for entry in result.arrayValue ?? [] {
            let label = "\(entry["name"]?.stringValue ?? "?") (id \(entry["id"]?.intValue ?? -1))"
            if entry["sent"]?.boolValue == true {
                console.out("\(label): \(what)\n")
            } else {
                failed = true
                console.err("\(label): error: \(entry["error"]?.stringValue ?? "not sent")\n")
            }
        }
        return failed ? 1 : 0
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
                console.out("\(label): \(Views(console: console).paintStatus(p.status))\(p.pid.map { ", pid \($0)" } ?? "")\n")
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
