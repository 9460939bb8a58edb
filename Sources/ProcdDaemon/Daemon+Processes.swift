import ProcdCore
import ProcdPlatform

extension Daemon {
    /// Feeds one event to a process's lifecycle and performs the effects it returns.
    func apply(_ event: Lifecycle.Event, to process: ManagedProcess) {
        let now = Clock.now()
        let previous = process.lifecycle.status
        let startedAt = process.lifecycle.startedAt
        let effects = process.lifecycle.handle(event, at: now)
        state.markChanged()
        emitLifecycle(event, process, from: previous, startedAt: startedAt, at: now)
        for effect in effects {
            switch effect {
            case .spawn:
                spawn(process)
            case .signalGroup(let signal):
                guard let pgid = process.pgid else { continue }
                do {
                    try Processes.signalGroup(pgid, signal)
                } catch {
                    log.warning("\(process.label): could not send \(Signals.name(of: signal)): \(error)")
                }
                signalStrays(process, signal)
            case .wake(let at):
                wake(process, at: at)
            case .remove:
                remove(process)
            case .log(let message):
                log.info("\(process.label): \(message)")
            case .retire:
                retire(process)
            case .stopRetired:
                retirees.stop(slot: process.id)
            }
        }
        if !process.lifecycle.isRunning && process.lifecycle.status != .stopping { process.pgid = nil }
        health.processChanged(process, from: previous, spawned: event == .spawned)
    }

    func spawn(_ process: ManagedProcess) {
        guard let app = table.app(process.appName) else { return }
        let spec = app.spec
        var env = environment(of: process, spec)
        clusterEnvironment(spec, &env)
        guard let program = spec.command.first,
              let path = Spawn.resolve(program, searchPath: env["PATH"], cwd: spec.cwd) else {
            apply(.spawnFailed("program '\(spec.command.first ?? "")' not found or not executable"), to: process)
            return
        }
        do {
            let out = try Pipe(nonBlockingRead: true)
            let err = try Pipe(nonBlockingRead: true)
            let outFile = try logs.file(process.outLog, spec)
            let errFile = try logs.file(process.errLog, spec)
            var descriptors = [devNull.raw, out.writeEnd.raw, err.writeEnd.raw]
            var pidSlots: [Int] = []
            var environment = env.map { "\($0.key)=\($0.value)" }
            if !app.listeners.isEmpty {
                // The socket-activation protocol (sd_listen_fds(3)): descriptors from 3.
                descriptors += app.listeners.map { $0.fd.raw }
                environment.append("LISTEN_FDS=\(app.listeners.count)")
                environment.append("LISTEN_FDNAMES=" + app.listeners.map { "\(spec.name)-\($0.address.port)" }.joined(separator: ":"))
                environment.append("LISTEN_PID=")
                pidSlots.append(environment.count - 1)
            }
            var channelEnd: OwnedFD?
            var appEnd: OwnedFD?
            if spec.isNode {
                let (daemonSide, appSide) = try Sockets.pair()
                try daemonSide.setNonBlocking()
                environment.append("NODE_CHANNEL_FD=\(descriptors.count)")
                environment.append("NODE_CHANNEL_SERIALIZATION_MODE=json")
                descriptors.append(appSide.raw)
                channelEnd = daemonSide
                appEnd = appSide
            }
            var request = Spawn.Request(path: path, argv: spec.command, env: environment, cwd: spec.cwd, descriptors: descriptors)
            if let watchdog = spec.watchdog {
                environment.append("WATCHDOG_USEC=\(watchdog.milliseconds * 1000)")
                environment.append("WATCHDOG_PID=")
                pidSlots.append(environment.count - 1)
            }
            if spec.user != nil || spec.group != nil {
                switch Identity.resolve(user: spec.user, group: spec.group) {
                case .success(let identity):
                    request.identity = identity
                    if spec.user != nil {
                        environment.removeAll { $0.hasPrefix("HOME=") || $0.hasPrefix("USER=") || $0.hasPrefix("LOGNAME=") }
                        environment += ["HOME=\(identity.home)", "USER=\(identity.userName)", "LOGNAME=\(identity.userName)"]
                    }
                case .failure(let error):
                    throw error
                }
            }
            request.env = environment
            request.pidSlots = pidSlots
            let pid = try Spawn.spawn(request)
            out.writeEnd.close()
            err.writeEnd.close()
            appEnd?.close()
            if let channelEnd { openChannel(channelEnd, for: process) }
            let dateFormat = spec.time || spec.logDateFormat != nil ? (spec.logDateFormat ?? "") : nil
            let tokens = (makeToken(), makeToken())
            logs.attach(OutputStream(token: tokens.0, processID: process.id, appName: spec.name, kind: .out,
                                  pipe: out.readEnd, file: outFile, dateFormat: dateFormat, observer: logs))
            logs.attach(OutputStream(token: tokens.1, processID: process.id, appName: spec.name, kind: .err,
                                  pipe: err.readEnd, file: errFile, dateFormat: dateFormat, observer: logs))
            process.streamTokens = [tokens.0, tokens.1]
            process.stderrRing.removeAll()
            process.pid = pid
            process.lastPid = pid
            process.pgid = pid
            process.pidStart = ProcFS.stat(pid).map { (pid, $0.startTime) }
            process.startedAtWall = Clock.wallMilliseconds()
            process.cpuSample = nil
            table.bind(pid, to: process)
            log.info("\(process.label): started pid \(pid): \(spec.command.joined(separator: " "))")
            apply(.spawned, to: process)
        } catch {
            apply(.spawnFailed("\(error)"), to: process)
        }
    }

    /// Reaps the daemon's children; `reported` are exits the keeper reaped for it.
    func handleChildExits(reported: [Processes.Reaped] = []) {
        // Exits reparent their children to procd: the adopted list is read again.
        adopted.forget()
        for reaped in Processes.reapAll() + reported {
            if retirees.reaped(reaped.pid, reaped.status) { continue }
            guard let process = table.unbind(reaped.pid) else { continue }
            process.pid = nil
            process.procHandles?.close()
            process.procHandles = nil
            log.info("\(process.label): pid \(reaped.pid) exited (\(reaped.status))")
            if let left = forkedIntoBackground(process, reaped.status) {
                apply(.forkedAway(Self.backgroundReason(table.app(process.appName)?.spec.command.first ?? "", left)), to: process)
                stopLeftBehind(left, of: process)
                continue
            }
            apply(.exited(reaped.status, groupAlive: treeAlive(process)), to: process)
            explainAddressInUse(process)
            if case .stopping(_, true, _) = process.lifecycle.phase { table.markDraining(process) }
        }
        // An orphaned member of a stopping group may have been reaped just now.
        for process in table.drainingProcesses() where !treeAlive(process) {
            table.doneDraining(process)
            apply(.groupGone, to: process)
        }
    }

    /// Feeds `.timer` to the process at `at`, unless by then (or when the loop is about to
    /// sleep) its lifecycle no longer waits for that tick.
    func wake(_ process: ManagedProcess, at: Tick) {
        let id = process.id
        loop.schedule(at: at, isCurrent: { [unowned self] at in
            switch self.table.process(id)?.lifecycle.phase {
            case .waiting(let until)?: return at == until
            case .launching(let readyBy?)?: return at == readyBy
            case .stopping(let killAt?, _, _)?: return at == killAt
            default: return false
            }
        }) { [unowned self] _ in
            if let process = self.table.process(id) { self.apply(.timer, to: process) }
        }
    }

    /// What a process is given besides its app's env: its identity (PROCD_*, and pm2's names
    /// for Node code) and the sd_notify socket. Descriptor-bound variables (LISTEN_*,
    /// NODE_CHANNEL_FD, WATCHDOG_*) are added at spawn.
    func environment(of process: ManagedProcess, _ spec: AppSpec) -> [String: String] {
        var env = spec.env
        env["PROCD_HOME"] = home.root
        env["PROCD_APP_NAME"] = spec.name
        env["PROCD_ID"] = String(process.id)
        env["PROCD_INSTANCE"] = String(process.instance)
        env["NODE_APP_INSTANCE"] = String(process.instance)
        env["pm_id"] = String(process.id)
        env["name"] = spec.name
        env["NOTIFY_SOCKET"] = notifyAddress
        return env
    }


    /// Takes the running process out of its slot; it runs on until `Retirees.stop`.
    private func retire(_ process: ManagedProcess) {
        guard let pid = process.pid else { return }
        process.procHandles?.close()
        process.procHandles = nil
        table.unbind(pid)
        retirees.add(Retiree(pid: pid, slot: process.id, label: process.label, killSignal: process.lifecycle.policy.killSignal,
                             killTimeout: process.lifecycle.policy.killTimeout, channel: process.channel))
        process.pid = nil
        process.pgid = nil
        process.channel = nil
        log.info("\(process.label): pid \(pid) retired; it runs until its replacement is online")
    }

    private func remove(_ process: ManagedProcess) {
        table.removeProcess(process)
        if let channel = process.channel { closeChannel(channel) }
        guard let app = table.app(process.appName) else { return }
        app.processIDs.removeAll { $0 == process.id }
        // A later app of the same name starts with empty files: its logs must not show
        // lines of this one as its own. The old lines stay in NAME-out.log.1 and so on.
        logs.closeStreams(ofProcess: process.id)
        let inUse = Set(app.processIDs.compactMap { table.process($0) }.flatMap { [$0.outLog, $0.errLog] })
        for path in Set([process.outLog, process.errLog]) where settings.writesLogFiles && !inUse.contains(path) && !logs.isOpen(path) {
            do {
                try LogFile.shiftAside(path, retain: app.spec.logRetain ?? settings.logRetain)
            } catch {
                log.warning("\(process.label): unable to move \(path) aside: \(error)")
            }
        }
        if app.processIDs.isEmpty {
            app.spec.watch = nil
            health.configureWatch(app)
            for held in app.listeners { held.fd.close() }
            app.listeners = []
            for held in app.sharedListeners.values { held.close() }
            app.sharedListeners = [:]
            table.removeApp(process.appName)
            log.info("\(process.appName): deleted")
        }
    }
}
