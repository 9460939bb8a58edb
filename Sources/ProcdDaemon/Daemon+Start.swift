import ProcdCore
import ProcdPlatform
import ProcdWire

extension Daemon {
    /// `start`: a new app, a stopped app started again, or (with force) a running one replaced.
    func startApp(_ args: JSON, request: Request, connection: ControlConnection) {
        guard let appJSON = args["app"] else {
            reply(connection, request.id, .failure(WireError(.invalidArgument, "'app' is missing")))
            return
        }
        let spec: AppSpec
        do {
            spec = try AppSpec(json: appJSON)
        } catch {
            reply(connection, request.id, .failure(WireError(.invalidArgument, "app field \(error)")))
            return
        }
        if let problem = checkRunnable(spec) {
            reply(connection, request.id, .failure(WireError(.spawnFailed, problem)))
            return
        }
        let force = args["force"]?.boolValue ?? false
        let ids: [Int]
        if let app = apps[spec.name] {
            let active: [ProcessStatus] = [.online, .launching, .waiting, .stopping]
            let running = app.processIDs.compactMap { processes[$0] }.filter { active.contains($0.lifecycle.status) }
            if !running.isEmpty && !force {
                let list = running.map { String($0.id) }.joined(separator: ", ")
                reply(connection, request.id, .failure(WireError(
                    .alreadyExists,
                    "app '\(spec.name)' is already running (id \(list)); use 'procctl restart \(spec.name)', or 'procctl start -f' to replace it")))
                return
            }
            let listeners: [(address: ListenAddress, fd: OwnedFD)]
            do {
                listeners = try openListeners(for: spec, reusing: app.listeners)
            } catch {
                reply(connection, request.id, .failure(error))
                return
            }
            for old in app.listeners where !listeners.contains(where: { $0.fd === old.fd }) { old.fd.close() }
            app.listeners = listeners
            app.spec = spec
            reconcileSlots(app)
            ids = app.processIDs
            for id in ids {
                guard let p = processes[id] else { continue }
                p.lifecycle.policy = spec.lifecyclePolicy
                apply(running.isEmpty ? .start : .restart, to: p)
            }
            configureHealth(app)
            log.info("\(spec.name): \(running.isEmpty ? "started again" : "replaced") with \(spec.instances) instance(s)")
        } else {
            let app = ManagedApp(spec: spec)
            do {
                app.listeners = try openListeners(for: spec, reusing: [])
            } catch {
                reply(connection, request.id, .failure(error))
                return
            }
            register(app)
            ids = app.processIDs
            log.info("\(spec.name): created with \(spec.instances) instance(s): \(spec.command.joined(separator: " "))")
            for id in ids { if let p = processes[id] { apply(.start, to: p) } }
        }
        waiters.append(Waiter(connection: connection.token, requestID: request.id, ids: ids, condition: .settled))
    }

    /// A reason the app cannot start at all, found before anything is created.
    private func checkRunnable(_ spec: AppSpec) -> String? {
        if spec.user != nil || spec.group != nil {
            if ownUser != 0 { return "--user and --group need procd running as root (it runs as uid \(ownUser))" }
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
        apps[app.spec.name] = app
        appOrder.append(app.spec.name)
        reconcileSlots(app)
        configureHealth(app)
    }

    /// Adds or removes process slots so the app has exactly `spec.instances`.
    func reconcileSlots(_ app: ManagedApp) {
        let spec = app.spec
        while app.processIDs.count < spec.instances {
            let instance = app.processIDs.count
            let id = nextProcessID
            nextProcessID += 1
            let process = ManagedProcess(
                id: id, appName: spec.name, instance: instance, policy: spec.lifecyclePolicy,
                outLog: logPath(spec, stream: "out", instance: instance),
                errLog: logPath(spec, stream: "err", instance: instance))
            processes[id] = process
            app.processIDs.append(id)
        }
        for (instance, id) in app.processIDs.enumerated() {
            guard let p = processes[id] else { continue }
            p.outLog = logPath(spec, stream: "out", instance: instance)
            p.errLog = logPath(spec, stream: "err", instance: instance)
        }
        // Extra instances are deleted from the highest down; `remove` drops each slot once
        // it has stopped.
        for id in app.processIDs.dropFirst(spec.instances).reversed() {
            if let p = processes[id], p.lifecycle.status != .stopping { apply(.delete, to: p) }
        }
    }

    private func logPath(_ spec: AppSpec, stream: String, instance: Int) -> String {
        let custom = stream == "out" ? spec.outFile : spec.errorFile
        if let custom, custom != "" {
            let path = File.absolute(custom, cwd: spec.cwd)
            return spec.mergeLogs ? path : path + "-\(instance)"
        }
        return home.logFile(app: spec.name, stream: stream, instance: spec.mergeLogs ? nil : instance)
    }
}
