import ProcdCore
import ProcdPlatform
import ProcdWire

/// The commands that act on processes a target names (an id, an app, a namespace,
/// `all`, or for some a configuration file): stop, restart, reload, delete, reset,
/// scale, send, signal, flush, list and describe.
extension Procctl {
    /// stop, restart, reload, delete and reset.
    func changeState(_ command: CommandSpec, _ parsed: ParsedArguments) throws -> Int32 {
        var given = try targets(parsed, command)
        var started: Int32 = 0
        if command.name == CommandName.restart.rawValue || command.name == CommandName.reload.rawValue {
            // As pm2 does: a file's apps not in the table yet are started.
            (started, given) = try startMissing(given, parsed)
            if given.isEmpty { return started }
        }
        let expanded = try expand(given, parsed)
        guard !expanded.isEmpty else { throw CommandFailure("the configuration file names no apps") }
        if command.name == CommandName.restart.rawValue { return try restart(given: given, expanded: expanded, started: started, parsed) }
        let wire = WireCommand(rawValue: command.name) ?? .list
        let result = try connect().call(wire, ["targets": .array(expanded.map { .string($0) })])
        return max(started, report(result["processes"]?.arrayValue ?? [], verb: command.name))
    }

    /// A restart with the environment --env gives, and with --update-env the caller's
    /// or, for configuration files, the one each file now gives its apps.
    private func restart(given: [String], expanded: [String], started: Int32, _ parsed: ParsedArguments) throws -> Int32 {
        let fileEnvironments = parsed.has("update-env")
            ? try given.filter { isConfigFile($0) }
                .reduce(into: [String: [String: String]]()) { $0.merge(try configs.environments($1, parsed)) { $1 } }
            : [:]
        var env: [String: String] = parsed.has("update-env") && fileEnvironments.isEmpty ? Environment.all() : [:]
        for (key, value) in StartCommand(arguments: parsed, cwd: cwd).environmentPairs { env[key] = value }
        if !fileEnvironments.isEmpty { return try restartEach(expanded, fileEnvironments: fileEnvironments, env: env) }
        var args: JSONObject = ["targets": .array(expanded.map { .string($0) })]
        if !env.isEmpty { args["env"] = .object(JSONObject(env)) }
        let result = try connect().call(.restart, args)
        return max(started, report(result["processes"]?.arrayValue ?? [], verb: "restart"))
    }

    /// Each app gets the environment its file now gives it, so each is a request of its own.
    private func restartEach(_ names: [String], fileEnvironments: [String: [String: String]], env: [String: String]) throws -> Int32 {
        var status: Int32 = 0
        let client = try connect()
        for name in names {
            var appEnv = fileEnvironments[name] ?? [:]
            for (key, value) in env { appEnv[key] = value }
            let result = try client.call(.restart, ["targets": .array([.string(name)]), "env": .object(JSONObject(appEnv))])
            status = max(status, report(result["processes"]?.arrayValue ?? [], verb: "restart"))
        }
        return status
    }

    func scale(_ parsed: ParsedArguments) throws -> Int32 {
        guard parsed.operands.count == 2 else { throw UsageError("'scale' needs an app and a count, e.g. 'procctl scale api 4' or 'scale api +2'") }
        let count = parsed.operands[1]
        let digits = count.hasPrefix("+") || count.hasPrefix("-") ? count.dropFirst() : Substring(count)
        guard !digits.isEmpty, digits.allSatisfy(\.isASCII), Int(digits) != nil else {
            throw UsageError("'\(count)' is not a count: use N, +N or -N, e.g. 'procctl scale api 4'")
        }
        let result = try connect().call(.scale, ["app": .string(parsed.operands[0]), "count": .string(parsed.operands[1])])
        return report(result["processes"]?.arrayValue ?? [], verb: "scale")
    }

    func send(_ parsed: ParsedArguments) throws -> Int32 {
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
    }

    func signal(_ parsed: ParsedArguments) throws -> Int32 {
        guard parsed.operands.count >= 2 else { throw UsageError("'signal' needs a signal and a target, e.g. 'procctl signal SIGUSR2 api'") }
        guard Signals.number(named: parsed.operands[0]) != nil else { throw UsageError("unknown signal '\(parsed.operands[0])'") }
        let result = try connect().call(.signal, [
            "signal": .string(parsed.operands[0]),
            "targets": .array(parsed.operands.dropFirst().map { .string($0) }),
        ])
        return reportDeliveries(result, what: "sent \(Signals.name(of: Signals.number(named: parsed.operands[0]) ?? 0))")
    }

    func flush(_ parsed: ParsedArguments) throws -> Int32 {
        var args: JSONObject = [:]
        if !parsed.operands.isEmpty { args["targets"] = .array(parsed.operands.map { .string($0) }) }
        let result = try connect().call(.flush, args)
        for path in result["files"]?.arrayValue?.compactMap(\.stringValue) ?? [] { console.out("flushed \(path)\n") }
        return 0
    }

    func list(_ parsed: ParsedArguments) throws -> Int32 {
        let json = parsed.has("json")
        // The table needs only its columns; --json gets every field.
        let result = try connect().call(.list, json ? [:] : ["compact": .bool(true)])
        return try Views(console: console).list(result, json: json, sort: parsed.value("sort"))
    }

    func describe(_ command: CommandSpec, _ parsed: ParsedArguments) throws -> Int32 {
        let result = try connect().call(.describe, ["targets": .array(try targets(parsed, command).map { .string($0) })])
        return Views(console: console).describe(result.arrayValue ?? [], json: parsed.has("json"))
    }

    private func targets(_ parsed: ParsedArguments, _ command: CommandSpec) throws(UsageError) -> [String] {
        guard !parsed.operands.isEmpty else {
            throw UsageError("'\(command.name)' needs a target: a process id, an app name, a namespace or 'all'")
        }
        return parsed.operands
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
}
