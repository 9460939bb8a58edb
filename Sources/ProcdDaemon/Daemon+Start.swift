import ProcdCore
import ProcdPlatform
import ProcdWire

extension Daemon {
    /// `start`: one app (`app`) or a batch (`apps`, the apps of a config file). A batch is
    /// one request: every app is created in the same turn, so the table is written once,
    /// and one reply reports each app's processes or its error when all have settled.
    func startApp(_ args: JSON, request: Request, connection: ControlConnection) {
        let force = args["force"]?.boolValue ?? false
        if let batch = StartBatch.apps(args) {
            var outcomes: [Waiter.AppOutcome] = []
            for appJSON in batch {
                let name = appJSON["name"]?.stringValue ?? "?"
                switch startOne(appJSON, force: force) {
                case .success(let started): outcomes.append(Waiter.AppOutcome(name: name, ids: started.ids, replaced: started.replaced))
                case .failure(let error): outcomes.append(Waiter.AppOutcome(name: name, ids: [], error: error))
                }
            }
            pending.hold(Waiter(connection: connection.token, requestID: request.id, ids: outcomes.flatMap(\.ids),
                                  condition: .started, apps: outcomes))
            return
        }
        if let target = args["target"]?.stringValue {
            startExisting(target, request: request, connection: connection)
            return
        }
        guard let appJSON = args["app"] else {
            reply(connection, request.id, .failure(WireError(.invalidArgument, "'app', 'apps' or 'target' is missing")))
            return
        }
        switch startOne(appJSON, force: force) {
        case .success(let started):
            let outcome = Waiter.AppOutcome(name: appJSON["name"]?.stringValue ?? "?", ids: started.ids, replaced: started.replaced)
            pending.hold(Waiter(connection: connection.token, requestID: request.id, ids: started.ids, condition: .started,
                                  apps: [outcome]))
        case .failure(let error):
            reply(connection, request.id, .failure(error))
        }
    }

    /// `procd run`: its command line's apps, started before the loop begins; what could
    /// not be started, one message an app.
    func startInitial(_ args: JSON) -> [String] {
        guard let batch = StartBatch.apps(args), !batch.isEmpty else { return ["nothing to start"] }
        var errors: [String] = []
        for appJSON in batch {
            if case .failure(let error) = startOne(appJSON, force: false) {
                errors.append("\(appJSON["name"]?.stringValue ?? "?"): \(error.message)")
            }
        }
        return errors
    }

    /// `start NAME|ID` of an app in the table: its processes that do not run start as
    /// defined; running ones are left alone. `not_found` lets the client start a new
    /// program of that name instead.
    private func startExisting(_ target: String, request: Request, connection: ControlConnection) {
        let ids: [Int]
        if let app = table.app(target) {
            ids = app.processIDs
        } else if let id = Int(target), table.process(id) != nil {
            ids = [id]
        } else {
            reply(connection, request.id, .failure(WireError(.notFound, "no app or process '\(target)'")))
            return
        }
        for id in ids {
            guard let p = table.process(id), !p.lifecycle.isRunning, p.lifecycle.status != .stopping else { continue }
            apply(.start, to: p)
        }
        pending.hold(Waiter(connection: connection.token, requestID: request.id, ids: ids, condition: .started))
    }

    /// Creates, starts again or (with force) replaces one app; the ids of its processes.
    /// `replaced` is the command line of the definition it replaced, if it changed.
    private func startOne(_ appJSON: JSON, force: Bool) -> Result<(ids: [Int], replaced: String?), WireError> {
        let spec: AppSpec
        do {
            spec = try AppSpec(json: appJSON)
        } catch {
            return .failure(WireError(.invalidArgument, "app field \(error)"))
        }
        if let problem = checkRunnable(spec) { return .failure(WireError(.spawnFailed, problem)) }
        if let app = table.app(spec.name) {
            let active: [ProcessStatus] = [.online, .launching, .waiting, .stopping]
            let running = app.processIDs.compactMap { table.process($0) }.filter { active.contains($0.lifecycle.status) }
            if !running.isEmpty && !force {
                let list = running.map { String($0.id) }.joined(separator: ", ")
                return .failure(WireError(
                    .alreadyExists,
                    "app '\(spec.name)' is already running (id \(list)); use 'procctl restart \(spec.name)', or 'procctl start -f' to replace it"))
            }
            let listeners: [(address: ListenAddress, fd: OwnedFD)]
            do {
                listeners = try openListeners(for: spec, reusing: app.listeners)
            } catch {
                return .failure(error)
            }
            for old in app.listeners where !listeners.contains(where: { $0.fd === old.fd }) { old.fd.close() }
            app.listeners = listeners
            let replaced = app.spec.json == spec.json ? nil : app.spec.command.joined(separator: " ")
            if let replaced { log.info("\(spec.name): definition replaced: \(spec.command.joined(separator: " ")) (was: \(replaced))") }
            app.spec = spec
            reconcileSlots(app)
            for id in app.processIDs {
                guard let p = table.process(id) else { continue }
                p.lifecycle.policy = spec.lifecyclePolicy
                apply(running.isEmpty ? .start : .restart, to: p)
            }
            health.configure(app)
            log.info("\(spec.name): \(running.isEmpty ? "started again" : "replaced") with \(spec.instances) instance(s)")
            return .success((app.processIDs, replaced))
        }
        let app = ManagedApp(spec: spec)
        do {
            app.listeners = try openListeners(for: spec, reusing: [])
        } catch {
            return .failure(error)
        }
        register(app)
        log.info("\(spec.name): created with \(spec.instances) instance(s): \(spec.command.joined(separator: " "))")
        for id in app.processIDs { if let p = table.process(id) { apply(.start, to: p) } }
        return .success((app.processIDs, nil))
    }

    /// A reason the app cannot start at all, found before anything is created.
    private func checkRunnable(_ spec: AppSpec) -> String? {
        if spec.user != nil || spec.group != nil {
            if startup.ownUser != 0 { return "--user and --group need procd running as root (it runs as uid \(startup.ownUser))" }
            if case .failure(let error) = Identity.resolve(user: spec.user, group: spec.group) {
                return "no such \(error.path ?? "user or group") on this machine"
            }
        }
        if !File.isDirectory(spec.cwd) { return "working directory '\(spec.cwd)' does not exist" }
        guard let program = spec.command.first else { return "the command is empty" }
        if Spawn.resolve(program, searchPath: spec.env["PATH"], cwd: spec.cwd) == nil {
            return program.contains("/")
                ? "'\(program)' does not exist or is not executable"
                : "'\(program)' was not found on PATH"
        }
        return nil
    }

    /// Adds an app to the table: slots for its instances, its health features armed.
    func register(_ app: ManagedApp) {
        table.add(app)
        reconcileSlots(app)
        health.configure(app)
    }

    /// Adds or removes process slots so the app has exactly `spec.instances`.
    func reconcileSlots(_ app: ManagedApp) {
        let spec = app.spec
        while app.processIDs.count < spec.instances {
            let instance = app.processIDs.count
            let process = table.makeProcess(
                appName: spec.name, instance: instance, policy: spec.lifecyclePolicy,
                outLog: logPath(spec, stream: "out", instance: instance),
                errLog: logPath(spec, stream: "err", instance: instance))
            table.insert(process)
            app.processIDs.append(process.id)
        }
        for (instance, id) in app.processIDs.enumerated() {
            guard let p = table.process(id) else { continue }
            p.outLog = logPath(spec, stream: "out", instance: instance)
            p.errLog = logPath(spec, stream: "err", instance: instance)
        }
        // Extra instances are deleted from the highest down; `remove` drops each slot once
        // it has stopped.
        for id in app.processIDs.dropFirst(spec.instances).reversed() {
            if let p = table.process(id), p.lifecycle.status != .stopping { apply(.delete, to: p) }
        }
    }

    private func logPath(_ spec: AppSpec, stream: String, instance: Int) -> String {
        let custom = stream == "out" ? spec.outFile : spec.errorFile
        if let custom, custom != "" {
            let path = File.absolute(custom, cwd: spec.cwd)
            return spec.mergeLogs ? path : path + "-\(instance)"
        }
        return startup.home.logFile(app: spec.name, stream: stream, instance: spec.mergeLogs ? nil : instance)
    }
}
