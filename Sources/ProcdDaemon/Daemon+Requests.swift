import ProcdCore
import ProcdPlatform
import ProcdWire

extension Daemon {
    /// Commands whose reply reports a change of the table: it says so when `state.json`
    /// could not record the change.
    static let changesTable: Set<WireCommand> = [.start, .stop, .restart, .reload, .delete, .reset, .scale, .resurrect]

    /// One request from a client: refused while shutting down, else answered now or held
    /// until what it asked for has happened.
    func handle(_ request: Request, from connection: ControlConnection) {
        guard let command = WireCommand(rawValue: request.command) else {
            connection.send(.failure(id: request.id, WireError(.unknownCommand, "unknown command '\(request.command)'")))
            return
        }
        if shutdown != nil, command != .ping {
            connection.send(.failure(id: request.id, WireError(.internalError, "procd is shutting down")))
            return
        }
        if let notice = state.takeNotice() {
            connection.send(.event(id: request.id, .object(["notice": .string(notice)])))
        }
        if Self.changesTable.contains(command) { connection.expectsChange(request.id) }
        dispatch(command, request, connection)
    }

    /// The request to the operation that answers it.
    private func dispatch(_ command: WireCommand, _ request: Request, _ connection: ControlConnection) {
        let args = request.args
        switch command {
        case .ping, .version:
            reply(connection, request.id, .success(daemonInfo()))
        case .list:
            list(compact: args["compact"]?.boolValue == true, request: request, connection: connection)
        case .start:
            startApp(args, request: request, connection: connection)
        case .stop, .restart, .reload, .delete, .reset, .describe, .signal, .env, .logPaths, .send:
            let ids: [Int]
            do {
                ids = try selectTargets(args)
            } catch {
                reply(connection, request.id, .failure(error))
                return
            }
            perform(command, on: ids, args: args, request: request, connection: connection)
        case .scale:
            scale(args, request: request, connection: connection)
        case .save:
            reply(connection, request.id, saveDump())
        case .resurrect:
            resurrectApps(request: request, connection: connection)
        case .update:
            upgradeInPlace(request: request, connection: connection)
        case .logs:
            streamLogs(args, request: request, connection: connection)
        case .flush:
            flush(args, request: request, connection: connection)
        case .reloadLogs:
            reply(connection, request.id, .success(reopenLogs()))
        case .events:
            subscribeEvents(args, request: request, connection: connection)
        case .metrics:
            reply(connection, request.id, .success(.object(["text": .string(metricsText())])))
        case .web:
            serveWeb(args, request: request, connection: connection)
        case .kill:
            let ids = table.processIDs
            stopInOrder(ids.compactMap { table.process($0) }, .stop)
            pending.hold(Waiter(connection: connection.token, requestID: request.id, ids: ids, condition: .halted, thenShutdown: true))
        }
    }

    private func resurrectApps(request: Request, connection: ControlConnection) {
        switch resurrect() {
        case .success(let ids): pending.hold(Waiter(connection: connection.token, requestID: request.id, ids: ids, condition: .settled))
        case .failure(let error): reply(connection, request.id, .failure(error))
        }
    }

    private func flush(_ args: JSON, request: Request, connection: ControlConnection) {
        do {
            let ids = args["targets"] == nil ? table.processIDs : try selectTargets(args)
            reply(connection, request.id, .success(flushLogs(ids)))
        } catch {
            reply(connection, request.id, .failure(error))
        }
    }

    /// `list`: every process, or (compact) the table view's rows written into one reused buffer.
    private func list(compact: Bool, request: Request, connection: ControlConnection) {
        let bytes = compact ? compactListReply(id: request.id) : fullListReply(id: request.id)
        connection.queue(bytes)
        listBuffer.giveBack(bytes)
    }

    /// `reload-logs`: the log files and procd.log opened again by path (after logrotate).
    private func reopenLogs() -> JSON {
        logs.reopenFiles()
        log.reopen()
        log.info("reopened \(logs.fileCount) log file(s)")
        return .object(["files": .int(logs.fileCount)])
    }

    private func daemonInfo() -> JSON {
        .object([
            "version": .string(ProcdVersion.current),
            "commit": BuildStamp.commit.map { .string($0) } ?? .null,
            "pid": .int(Int(Processes.currentPid)),
            "uptime_ms": .int(Int((Clock.now() - startup.startedAt).milliseconds)),
            "processes": .int(table.processCount),
            "home": .string(startup.home.root),
        ])
    }

    func selectTargets(_ args: JSON) throws(WireError) -> [Int] {
        guard let targets = args["targets"]?.arrayValue?.compactMap(\.stringValue), !targets.isEmpty else {
            throw WireError(.invalidArgument, "'targets' must be a non-empty array of strings")
        }
        let entries = table.processes.sorted { $0.id < $1.id }.map {
            TargetSelector.Entry(id: $0.id, name: $0.appName, namespace: table.app($0.appName)?.spec.namespace ?? "default")
        }
        do {
            return try TargetSelector.select(targets, from: entries)
        } catch {
            throw WireError(.notFound, error.message)
        }
    }

    private func perform(_ command: WireCommand, on ids: [Int], args: JSON, request: Request, connection: ControlConnection) {
        let targets = ids.compactMap { table.process($0) }
        func wait(_ condition: Waiter.Condition) {
            pending.hold(Waiter(connection: connection.token, requestID: request.id, ids: ids, condition: condition))
        }
        switch command {
        case .stop:
            stopInOrder(targets, .stop)
            wait(.halted)
        case .reload:
            beginReload(ids, request: request, connection: connection)
        case .send:
            reply(connection, request.id, .success(sendMessage(args, to: targets)))
        case .restart:
            if let env = args["env"]?.objectValue {
                for name in Set(targets.map(\.appName)) { updateEnvironment(name, env) }
            }
            for p in targets { apply(.restart, to: p) }
            wait(.settled)
        case .delete:
            let before = Dictionary(uniqueKeysWithValues: targets.map { ($0.id, snapshot($0, measure: false).json) })
            stopInOrder(targets, .delete)
            pending.hold(Waiter(connection: connection.token, requestID: request.id, ids: ids, condition: .removed, before: before))
        case .reset:
            for p in targets { apply(.reset, to: p) }
            reply(connection, request.id, .success(.object(["processes": .array(targets.map { snapshot($0, measure: false).json })])))
        case .describe:
            // `definitions`: the apps' definitions whole, environment values included (export).
            let whole = args["definitions"]?.boolValue == true
            reply(connection, request.id, .success(.array(targets.map { whole ? definition($0) : describe($0) })))
        case .signal:
            sendSignal(args, to: targets, request: request, connection: connection)
        case .env:
            reply(connection, request.id, .success(.array(targets.map { p in
                .object(["id": .int(p.id), "env": .object(environmentObject(for: p))])
            })))
        case .logPaths, .ping, .version, .list, .start, .kill, .logs, .flush, .reloadLogs, .scale, .save, .resurrect, .update, .events, .metrics, .web:
            reply(connection, request.id, .success(.array(targets.map { snapshot($0, measure: false).json })))
        }
    }

    private func sendSignal(_ args: JSON, to targets: [ManagedProcess], request: Request, connection: ControlConnection) {
        guard let name = args["signal"]?.stringValue, let signal = Signals.number(named: name) else {
            reply(connection, request.id, .failure(WireError(.invalidArgument, "unknown signal '\(args["signal"]?.stringValue ?? "")'")))
            return
        }
        var results: [JSON] = []
        for p in targets {
            var entry: JSONObject = ["id": .int(p.id), "name": .string(p.appName)]
            if let pid = p.pid, (try? Processes.signal(pid, signal)) == .sent {
                entry["sent"] = .bool(true)
                log.info("\(p.label): sent \(Signals.name(of: signal)) to pid \(pid)")
            } else {
                entry["sent"] = .bool(false)
                entry["error"] = .string("not running")
            }
            results.append(.object(entry))
        }
        reply(connection, request.id, .success(.array(results)))
    }

    private func updateEnvironment(_ appName: String, _ env: JSONObject) {
        guard let app = table.app(appName) else { return }
        for (key, value) in env.entries { if let text = value.stringValue { app.spec.env[key] = text } }
        log.info("\(appName): environment updated (\(env.count) variables)")
    }

    func environmentObject(for process: ManagedProcess) -> JSONObject {
        var object = JSONObject()
        guard let spec = table.app(process.appName)?.spec else { return object }
        let env = environment(of: process, spec)
        for key in env.keys.sorted() { object[key] = .string(env[key] ?? "") }
        return object
    }

    private func definition(_ process: ManagedProcess) -> JSON {
        .object(["id": .int(process.id), "app": table.app(process.appName)?.spec.json ?? .null])
    }

    private func describe(_ process: ManagedProcess) -> JSON {
        guard case .object(var object) = snapshot(process, measure: true).json else { return .null }
        // Descendants that left the group count in the tree's memory and CPU too.
        var outside: [JSON] = []
        for pid in strays(of: process) {
            guard let stat = ProcFS.stat(pid) else { continue }
            outside.append(.object(["pid": .int(Int(pid)), "memory": .int(Int(stat.residentBytes))]))
            object["memory"] = .int((object["memory"]?.intValue ?? 0) + Int(stat.residentBytes))
        }
        object["outside_group"] = .array(outside)
        if let spec = table.app(process.appName)?.spec {
            var specJSON = spec.json.objectValue ?? JSONObject()
            specJSON["env"] = .array(spec.env.keys.sorted().map { .string($0) })
            object["app"] = .object(specJSON)
        }
        object["stderr_tail"] = .array(logs.stderrTail(process.id).map { .string($0) })
        if let statusText = process.statusText { object["status_text"] = .string(statusText) }
        if let message = process.lastMessage { object["last_message"] = message }
        object["ipc"] = .bool(process.channel != nil)
        object["created_at"] = .string(Format.iso8601(millisecondsSinceEpoch: process.createdAtWall))
        object["ready_signal"] = .string(process.lifecycle.policy.waitReady ? "wait_ready" : process.lifecycle.policy.awaitsListen ? "listen_timeout" : "none")
        return .object(object)
    }
}
