import ProcdCore
import ProcdPlatform
import ProcdWire

/// pm2's everyday verbs, as pm2 users type them: `startOrRestart FILE` and its reload
/// forms, `prettylist`, and the rule that `restart FILE` or `reload FILE` starts the
/// file's apps that are not in the table yet.
extension Procctl {
    /// `startOrRestart|startOrReload|startOrGracefulReload FILE`: the file's apps that are
    /// not running start; the running ones restart (or reload).
    func startOr(_ verb: WireCommand, _ parsed: ParsedArguments, command: CommandSpec) throws -> Int32 {
        guard parsed.operands.count == 1, let file = parsed.operands.first, ConfigLoader.isConfig(file) else {
            throw UsageError("'\(command.name)' needs one config file (ecosystem .json/.yaml/.js or Procfile), e.g. 'procctl \(command.name) ecosystem.config.js'")
        }
        // The file is read first: a broken one is reported without starting the daemon.
        let names = try configs.names(file, parsed)
        let running = try runningApps()
        let toStart = names.filter { !running.contains($0) }
        var status: Int32 = 0
        if !toStart.isEmpty { status = try configs.start(file, only(toStart, parsed)) }
        let toCycle = names.filter { running.contains($0) }
        if !toCycle.isEmpty {
            let result = try connect().call(verb, ["targets": .array(toCycle.map { .string($0) })])
            status = max(status, report(result["processes"]?.arrayValue ?? [], verb: verb.rawValue))
        }
        return status
    }

    /// For `restart FILE` and `reload FILE`: starts the file apps that are not in the table
    /// and returns the targets left to restart (other targets pass through).
    func startMissing(_ targets: [String], _ parsed: ParsedArguments) throws -> (status: Int32, rest: [String]) {
        let files = targets.filter { isConfigFile($0) }
        guard !files.isEmpty else { return (0, targets) }
        var appNames: [[String]] = []
        for file in files { appNames.append(try configs.names(file, parsed)) }
        let known = try appsInTable()
        var status: Int32 = 0
        var rest = targets.filter { !files.contains($0) }
        for (file, names) in zip(files, appNames) {
            let missing = names.filter { !known.contains($0) }
            if !missing.isEmpty { status = max(status, try configs.start(file, only(missing, parsed))) }
            // --update-env reads the file again for each app's environment: keep it whole.
            rest += parsed.has("update-env") ? [file] : names.filter { known.contains($0) }
        }
        return (status, rest)
    }

    /// `prettylist`: every process as indented JSON.
    func prettyList() throws -> Int32 {
        console.out(try connect().call(.list).serialized(pretty: true) + "\n")
        return 0
    }

    /// `env <id|app>`: the environment of one process; an app name is accepted when the
    /// app has exactly one process.
    func environment(_ parsed: ParsedArguments) throws -> Int32 {
        guard parsed.operands.count == 1, let target = parsed.operands.first else {
            throw UsageError("'env' needs one process id or the name of a single-process app")
        }
        let result = try connect().call(.env, ["targets": .array([.string(target)])])
        let entries = result.arrayValue ?? []
        if entries.count > 1 {
            let ids = entries.compactMap { $0["id"]?.intValue }.map(String.init).joined(separator: ", ")
            throw CommandFailure("'\(target)' has \(entries.count) processes (ids \(ids)); give one id, e.g. 'procctl env \(entries.first?["id"]?.intValue ?? 0)'", exitCode: 2)
        }
        for entry in entries {
            for (key, value) in entry["env"]?.objectValue?.entries ?? [] { console.out("\(key)=\(value.stringValue ?? "")\n") }
        }
        return 0
    }

    private func appsInTable() throws -> Set<String> {
        Set((try connect().call(.list, ["compact": .bool(true)]).arrayValue ?? []).compactMap { $0["name"]?.stringValue })
    }

    private func runningApps() throws -> Set<String> {
        let running: Set<String> = ["online", "launching", "waiting"]
        return Set((try connect().call(.list, ["compact": .bool(true)]).arrayValue ?? [])
            .filter { running.contains($0["status"]?.stringValue ?? "") }.compactMap { $0["name"]?.stringValue })
    }

    /// The same arguments with `--only` set to `names`.
    private func only(_ names: [String], _ parsed: ParsedArguments) -> ParsedArguments {
        var copy = parsed
        copy.values["only"] = [names.joined(separator: ",")]
        return copy
    }
}
