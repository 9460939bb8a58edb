import ProcdCore
import ProcdPlatform
import ProcdWire

/// `start`, `stop`, `restart`, `reload` and `delete` given a configuration file.
struct ConfigCommands {
    let console: Console
    let cwd: String
    let connect: () throws(CommandFailure) -> DaemonClient

    /// The apps of the file, after --only, with their warnings printed; a misspelt attribute
    /// is an error unless --lenient or `lenient` (only the names are needed).
    func drafts(_ file: String, _ parsed: ParsedArguments, lenient: Bool = false) throws(CommandFailure) -> (drafts: [AppDraft], directory: String) {
        let names = StartCommand(arguments: parsed, cwd: cwd).environmentNames
        let (loaded, directory) = try ConfigLoader(cwd: cwd, environment: Environment.all()).load(file, environments: names, lenient: lenient || parsed.has("lenient"))
        for warning in loaded.warnings { console.warning(warning) }
        let graph = try stack(loaded.drafts, file: file)
        // In start order, so that every batch sent finds what it depends on already there.
        let byName = Dictionary(loaded.drafts.map { (appName($0), $0) }, uniquingKeysWith: { first, _ in first })
        var drafts = graph.layers.flatMap { $0 }.compactMap { byName[$0] }
        let only = parsed.all("only").flatMap { $0.split(separator: ",").map { $0.trimmingCharacters() } }.filter { !$0.isEmpty }
        if !only.isEmpty {
            let available = drafts.map(appName)
            for name in only where !available.contains(name) {
                var message = "--only: no app named '\(name)' in \(file)"
                if let guess = TargetSelector.closest(to: name, in: available) { message += " (did you mean '\(guess)'?)" }
                throw CommandFailure(message + "; it has: \(available.joined(separator: ", "))", exitCode: 2)
            }
            // What the named apps depend on comes with them, unless --no-deps.
            let wanted = Set(parsed.has("no-deps") ? only : graph.closure(of: only))
            drafts = drafts.filter { wanted.contains(appName($0)) }
        }
        return (drafts, directory)
    }

    /// The file's apps and what each depends on, checked before anything starts: a name
    /// that is neither in the file nor in the table, or a cycle, refuses the whole file.
    func stack(_ drafts: [AppDraft], file: String) throws(CommandFailure) -> DependencyGraph {
        let apps = drafts.map { (name: appName($0), dependencies: $0.template.dependsOn) }
        let outside = Set(apps.flatMap { $0.dependencies.map(\.name) }).subtracting(apps.map(\.name))
        switch DependencyGraph.make(apps, known: outside.isEmpty ? [] : tableNames()) {
        case .success(let graph): return graph
        case .failure(let problem): throw CommandFailure("\(file): \(problem)")
        }
    }

    /// The apps in the daemon's table; none when no daemon answers.
    func tableNames() -> Set<String> {
        guard let client = try? connect(), let list = try? client.call(.list) else { return [] }
        return Set(list.arrayValue?.compactMap { $0["name"]?.stringValue } ?? [])
    }

    func appName(_ draft: AppDraft) -> String {
        draft.name ?? Interpreter.defaultName(for: draft.isCommandLine ? ((try? ShellWords.split(draft.script))?.first ?? draft.script) : draft.script)
    }

    func start(_ file: String, _ parsed: ParsedArguments) throws -> Int32 {
        let specs = try resolvedSpecs(file, parsed)
        if parsed.has("dry-run") {
            if parsed.has("json") {
                console.out(JSON.array(specs.map(\.json)).serialized(pretty: true) + "\n")
            } else {
                for spec in specs { console.out(summary(spec)) }
            }
            return 0
        }
        return try send(specs, file: file, force: parsed.has("force"))
    }

    /// The file's apps (after --only), with the command line's options applied, resolved;
    /// warnings printed. One bad app stops the whole file.
    func resolvedSpecs(_ file: String, _ parsed: ParsedArguments) throws -> [AppSpec] {
        let (drafts, directory) = try drafts(file, parsed)
        let command = StartCommand(arguments: parsed, cwd: cwd)
        var resolver = AppResolver(baseDirectory: directory, environment: Environment.all(), lenient: parsed.has("dry-run"))
        var specs: [AppSpec] = []
        // Everything is resolved before anything starts: one bad app stops the whole file.
        for var draft in drafts {
            for (key, value) in command.environmentPairs { draft.template.env[key] = value }
            try command.apply(to: &draft.template)
            if drafts.count == 1, let name = parsed.value("name") { draft.name = name }
            do {
                specs.append(try resolver.resolve(draft))
            } catch {
                throw CommandFailure("\(file): app '\(appName(draft))': \(error.message)", exitCode: error.exitCode)
            }
        }
        for warning in resolver.warnings { console.warning(warning) }
        return specs
    }

    private func send(_ specs: [AppSpec], file: String, force: Bool) throws -> Int32 {
        // The apps go in batches that each fit a request line (StartBatch.requests): the
        // daemon starts a batch in one turn. An app too large to send stops the file
        // before anything starts.
        let requests: [JSONObject]
        do {
            requests = try StartBatch.requests(specs.map(\.json), force: force)
        } catch {
            throw CommandFailure("\(file): \(error.message)")
        }
        let client = try connect()
        var status: Int32 = 0
        for request in requests {
            let result = try client.call(.start, request)
            status = max(status, report(result, file: file))
        }
        return status
    }

    /// Prints each app's outcome of one batch; 1 if any failed.
    private func report(_ result: JSON, file: String) -> Int32 {
        var status: Int32 = 0
        for app in result["apps"]?.arrayValue ?? [] {
            let name = app["name"]?.stringValue ?? "?"
            if let error = app["error"] {
                if error["code"]?.stringValue == ErrorCode.alreadyExists.rawValue {
                    console.out("\(name): already running, left alone (use 'procctl restart \(file)' to restart it)\n")
                } else {
                    status = 1
                    console.err("\(name): error: \(error["message"]?.stringValue ?? "failed")\n")
                }
                continue
            }
            for entry in app["processes"]?.arrayValue ?? [] {
                guard let p = ProcessSnapshot(json: entry) else { continue }
                if p.status == .errored {
                    status = 1
                    console.err("\(p.name) (id \(p.id)): error: errored\(p.reason.map { ": \($0)" } ?? "")\n")
                    console.lastStderrLine(entry)
                } else if entry["start_failed"]?.boolValue == true {
                    status = 1
                    console.err("\(p.name) (id \(p.id)): error: \(p.reason ?? "it did not start"); procd keeps retrying\n")
                    console.lastStderrLine(entry)
                } else {
                    console.out("\(p.name) (id \(p.id)): \(p.status.rawValue)\(p.pid.map { ", pid \($0)" } ?? "")\(p.notReady.map { "; \($0)" } ?? "")\n")
                }
            }
        }
        return status
    }

    /// The app names a config file stands for, for stop/restart/reload/delete targets.
    func names(_ file: String, _ parsed: ParsedArguments) throws(CommandFailure) -> [String] {
        try drafts(file, parsed, lenient: true).drafts.map(appName)
    }

    /// `restart FILE --update-env`: each app's environment as the file now resolves it.
    func environments(_ file: String, _ parsed: ParsedArguments) throws(CommandFailure) -> [String: [String: String]] {
        let (drafts, directory) = try drafts(file, parsed)
        var resolver = AppResolver(baseDirectory: directory, environment: Environment.all(), lenient: true)
        var out: [String: [String: String]] = [:]
        for draft in drafts {
            let spec = try resolver.resolve(draft)
            out[spec.name] = spec.env
        }
        return out
    }

    private func summary(_ spec: AppSpec) -> String {
        var text = console.paint(spec.name, "1") + "\n"
        text += "  command    \(spec.command.joined(separator: " "))\n"
        text += "  cwd        \(spec.cwd)\n"
        text += "  instances  \(spec.instances)\(spec.execMode.map { ", exec_mode \($0.rawValue)" } ?? "")\n"
        if spec.namespace != "default" { text += "  namespace  \(spec.namespace)\n" }
        if !spec.listen.isEmpty { text += "  listen     \(spec.listen.map(\.description).joined(separator: ", "))\n" }
        let inherited = Environment.all()
        let own = spec.env.keys.filter { inherited[$0] != spec.env[$0] }.sorted()
        if !own.isEmpty { text += "  env        \(own.map { "\($0)=\(spec.env[$0] ?? "")" }.joined(separator: " "))\n" }
        let p = spec.policy
        text += "  policy     autorestart \(p.autorestart), max_restarts \(p.maxRestarts), min_uptime \(p.minUptime.milliseconds) ms"
        text += ", kill_timeout \(p.killTimeout.milliseconds) ms\(p.waitReady ? ", wait_ready (\(p.listenTimeout.milliseconds) ms)" : "")\n"
        if let out = spec.outFile { text += "  out_file   \(out)\n" }
        if let err = spec.errorFile { text += "  error_file \(err)\n" }
        return text
    }
}
