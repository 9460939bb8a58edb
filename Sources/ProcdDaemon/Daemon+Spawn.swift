import ProcdCore
import ProcdPlatform

/// What one spawn is made of: the request, and the descriptors the daemon keeps or closes
/// once the child has its copies.
private struct SpawnPlan {
    var request: Spawn.Request
    var out: Pipe
    var err: Pipe
    /// The daemon's end of a Node app's IPC channel, and the app's end (closed after spawn).
    var channel: (daemon: OwnedFD, app: OwnedFD)?
}

extension Daemon {
    /// Starts the slot's process: its pipes, descriptors and environment, then the
    /// bookkeeping of a running process; a failure is a lifecycle event like any other.
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
            let outFile = try logs.file(process.outLog, spec)
            let errFile = try logs.file(process.errLog, spec)
            let plan = try spawnPlan(app, path: path, env: env)
            let pid = try Spawn.spawn(plan.request)
            started(process, pid: pid, plan, spec, files: (outFile, errFile))
        } catch {
            apply(.spawnFailed("\(error)"), to: process)
        }
    }

    /// The descriptors from 0 (stdin /dev/null, the two pipes, then listening sockets and
    /// a Node IPC channel) and the environment that names them.
    private func spawnPlan(_ app: ManagedApp, path: String, env: [String: String]) throws(SystemError) -> SpawnPlan {
        let spec = app.spec
        let out = try Pipe(nonBlockingRead: true)
        let err = try Pipe(nonBlockingRead: true)
        var descriptors = [startup.devNull.raw, out.writeEnd.raw, err.writeEnd.raw]
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
        var channel: (daemon: OwnedFD, app: OwnedFD)?
        if spec.isNode {
            let (daemonSide, appSide) = try Sockets.pair()
            try daemonSide.setNonBlocking()
            environment.append("NODE_CHANNEL_FD=\(descriptors.count)")
            environment.append("NODE_CHANNEL_SERIALIZATION_MODE=json")
            descriptors.append(appSide.raw)
            channel = (daemonSide, appSide)
        }
        if let watchdog = spec.watchdog {
            environment.append("WATCHDOG_USEC=\(watchdog.milliseconds * 1000)")
            environment.append("WATCHDOG_PID=")
            pidSlots.append(environment.count - 1)
        }
        var request = Spawn.Request(path: path, argv: spec.command, env: [], cwd: spec.cwd, descriptors: descriptors)
        var identityEnv: [String: String] = [:]
        request.identity = try identity(of: spec, env: &identityEnv)
        environment.removeAll { entry in identityEnv.keys.contains { entry.hasPrefix($0 + "=") } }
        request.env = environment + identityEnv.map { "\($0.key)=\($0.value)" }
        request.pidSlots = pidSlots
        return SpawnPlan(request: request, out: out, err: err, channel: channel)
    }

    /// The user and group the app runs as (nil: the daemon's own), and the variables that
    /// go with a user (HOME, USER, LOGNAME) set in `env`.
    private func identity(of spec: AppSpec, env: inout [String: String]) throws(SystemError) -> Identity? {
        guard spec.user != nil || spec.group != nil else { return nil }
        let identity = try Identity.resolve(user: spec.user, group: spec.group).get()
        if spec.user != nil {
            env["HOME"] = identity.home
            env["USER"] = identity.userName
            env["LOGNAME"] = identity.userName
        }
        return identity
    }

    /// How to run `stop_command` for `process`: through `sh -c`, as its app runs, with
    /// `PROCD_PID` naming the process and no output.
    func stopCommandRequest(_ command: String, for process: ManagedProcess, _ spec: AppSpec) -> Result<Spawn.Request, ProbeFailure> {
        let null = startup.devNull.raw
        return probeRequest(["/bin/sh", "-c", command], for: process, spec, descriptors: [null, null, null]).map { request in
            var request = request
            if let pid = process.pid { request.env.append("\(EnvironmentName.pid)=\(pid)") }
            return request
        }
    }

    /// How to run an exec probe (or a stop command) for `process`: as its app runs
    /// (environment, cwd, user and group), with `descriptors` as its 0, 1 and 2.
    func probeRequest(_ argv: [String], for process: ManagedProcess, _ spec: AppSpec, descriptors: [Int32]) -> Result<Spawn.Request, ProbeFailure> {
        var env = environment(of: process, spec)
        let identity: Identity?
        do {
            identity = try self.identity(of: spec, env: &env)
        } catch {
            return .failure(ProbeFailure("cannot run as the app's user: \(error)"))
        }
        guard let program = argv.first, let path = Spawn.resolve(program, searchPath: env["PATH"], cwd: spec.cwd) else {
            return .failure(ProbeFailure("'\(argv.first ?? "")' is not found on the app's PATH"))
        }
        var request = Spawn.Request(path: path, argv: argv, env: env.map { "\($0.key)=\($0.value)" }, cwd: spec.cwd, descriptors: descriptors)
        request.identity = identity
        return .success(request)
    }

    /// The child runs: the daemon's copies of its ends are closed, its output is read, and
    /// the slot records the pid.
    private func started(_ process: ManagedProcess, pid: Int32, _ plan: SpawnPlan, _ spec: AppSpec,
                         files: (out: LogFile, err: LogFile)) {
        plan.out.writeEnd.close()
        plan.err.writeEnd.close()
        plan.channel?.app.close()
        if let channel = plan.channel { openChannel(channel.daemon, for: process) }
        let dateFormat = spec.time || spec.logDateFormat != nil ? (spec.logDateFormat ?? "") : nil
        let tokens = (makeToken(), makeToken())
        logs.attach([
            OutputStream(token: tokens.0, processID: process.id, appName: spec.name, kind: .out,
                         pipe: plan.out.readEnd, file: files.out, dateFormat: dateFormat, observer: logs),
            OutputStream(token: tokens.1, processID: process.id, appName: spec.name, kind: .err,
                         pipe: plan.err.readEnd, file: files.err, dateFormat: dateFormat, observer: logs),
        ], of: process.id)
        process.pid = pid
        process.lastPid = pid
        process.pgid = pid
        process.pidStart = ProcFS.stat(pid).map { (pid, $0.startTime) }
        process.startedAtWall = Clock.wallMilliseconds()
        sampler.started(process.id)
        table.bind(pid, to: process)
        log.info("\(process.label): started pid \(pid): \(spec.command.joined(separator: " "))")
        apply(.spawned, to: process)
    }

    /// What a process is given besides its app's env: its identity (PROCD_*, and pm2's names
    /// for Node code) and the sd_notify socket. Descriptor-bound variables (LISTEN_*,
    /// NODE_CHANNEL_FD, WATCHDOG_*) are added at spawn.
    func environment(of process: ManagedProcess, _ spec: AppSpec) -> [String: String] {
        var env = spec.env
        env[EnvironmentName.home] = startup.home.root
        env[EnvironmentName.appName] = spec.name
        env[EnvironmentName.id] = String(process.id)
        env[EnvironmentName.instance] = String(process.instance)
        env[EnvironmentName.nodeAppInstance] = String(process.instance)
        if let name = spec.instanceVar { env[name] = String(process.instance) }
        env["pm_id"] = String(process.id)
        env["name"] = spec.name
        env[EnvironmentName.notifySocket] = startup.notifyAddress
        return env
    }
}
