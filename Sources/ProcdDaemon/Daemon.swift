import ProcdCore
import ProcdPlatform
import ProcdWire

/// The daemon: the loop and the subsystems, put together.
///
/// Each concern keeps its state private in its own type — the table (`ProcessTable`),
/// clients (`ClientHub`), output (`LogRouter`), health (`HealthMonitor`), `state.json`
/// (`StateFile`), retired processes (`Retirees`), unanswered requests (`PendingReplies`),
/// subscriptions (`EventBus`), the HTTP listener and dashboard, the keeper link. The
/// `Daemon+…` files are the glue: a request or a lifecycle step calls the subsystems it
/// concerns through their operations. Everything runs on one thread in `EventLoop`,
/// which sleeps until a descriptor is ready or the nearest deadline that still matters.
public final class Daemon {
    /// What the daemon was started with; none of it changes.
    let startup: Startup
    /// procd.log: the daemon's own lines, rotated and echoed to the dashboard.
    let log: DaemonLog

    // The loop and the subsystems.
    let loop: EventLoop
    let table = ProcessTable()
    let clients: ClientHub
    let logs: LogRouter
    let health: HealthMonitor
    let state: StateFile
    let retirees: Retirees
    let dealer: ClusterDealer
    let stack: StackGate
    let prober: Prober
    let stopCommands: StopCommands
    let sampler = UsageSampler()
    let pending = PendingReplies()
    let events: EventBus
    /// Children procd adopted (see Daemon+Descendants), read at most once a turn.
    let adopted = AdoptedChildren()
    /// The compact `list` reply is written here and the storage reused from call to call.
    let listBuffer = ReusedBuffer()
    /// How the daemon runs and whether it is leaving (see `DaemonMode`).
    var mode: DaemonMode
    /// Whether the table was said to outgrow the descriptor limit (Daemon+Limits).
    var limits = LimitsNotice()
    /// When a `start` waiting for its verdict is looked at again (Daemon+Clients).
    var verdictWakeAt: Tick?

    /// How the daemon is leaving: which exit code, and whether the table is forgotten.
    struct Shutdown {
        var exitCode: Int32
        var forgetState: Bool
    }

    /// What the daemon was started with, in one value: none of it changes while it runs.
    struct Startup {
        let home: ProcdHome
        let settings: DaemonSettings
        /// procd.pid, locked while this daemon runs.
        let lock: OwnedFD
        /// The control and notify sockets.
        let endpoints: Endpoints
        let devNull: OwnedFD
        let startedAt = Clock.now()
        let ownUser = Processes.effectiveUser
        /// The executable's path, taken at start: `update` executes whatever is there now.
        let executable = Environment.executablePath.map { $0.hasSuffix(" (deleted)") ? String($0.dropLast(10)) : $0 }

        var listener: OwnedFD { endpoints.listener }
        var notifySocket: OwnedFD { endpoints.notifySocket }
        /// NOTIFY_SOCKET as the apps see it (an abstract address, so any uid can reach it).
        var notifyAddress: String { endpoints.notifyAddress }
    }

    /// The daemon's own sockets: made fresh, or adopted from the daemon it replaced in place.
    struct Endpoints {
        var listener: OwnedFD
        var notifySocket: OwnedFD
        var notifyAddress: String

        static func fresh(_ home: ProcdHome) throws(SystemError) -> Endpoints {
            try File.remove(home.socket)
            let listener = try UnixSocket.listen(path: home.socket)
            try File.setMode(home.socket, 0o600)
            let name = "procd/\(Processes.currentPid)/\(Clock.now().nanoseconds)/notify"
            return Endpoints(listener: listener, notifySocket: try Sockets.notifySocket(abstractName: name), notifyAddress: "@" + name)
        }
    }

    init(home: ProcdHome, log: DaemonLog, lock: OwnedFD, settings: DaemonSettings, endpoints: Endpoints,
         keeper: KeeperLink? = nil) throws(SystemError) {
        mode = DaemonMode(supervision: keeper.map { .kept($0) } ?? .alone)
        self.log = log
        startup = Startup(home: home, settings: settings, lock: lock, endpoints: endpoints, devNull: try File.openNull())
        SignalFD.ignoreBrokenPipe()
        try Processes.becomeSubreaper()
        Processes.raiseDescriptorLimit()
        // Each subsystem is given every call it makes back at init; they reach the daemon
        // through `link`, filled in once `self` exists.
        let link = DaemonLink()
        loop = try EventLoop(signals: [SignalFD.child, SignalFD.terminate, SignalFD.interrupt, SignalFD.quit, SignalFD.hangup],
                             onSignal: { link.daemon?.handle(signal: $0) })
        clients = try ClientHub(listener: startup.listener, loop: loop, log: log, wires: ClientHub.Wires(
            request: { link.daemon?.handle($0, from: $1) },
            owesReplies: { link.daemon?.owesReplies($0) ?? false },
            left: { link.daemon?.clientLeft($0) }))
        logs = LogRouter(loop: loop, log: log, clients: clients, settings: startup.settings, wires: LogRouter.Wires(
            output: { link.daemon?.recordOutput($0, $1) },
            opened: { link.daemon?.keeper?.holdStream($0) },
            closed: { link.daemon?.keeper?.drop("s\($0.token)") },
            namespace: { link.daemon?.table.app($0)?.spec.namespace ?? "default" }))
        health = HealthMonitor(loop: loop, log: log, table: table,
                               restart: { link.daemon?.apply(.autoRestart($1), to: $0) },
                               emit: { link.daemon?.emit($0, $1, $2) })
        events = EventBus(onDrop: { log.warning($0) })
        state = StateFile(path: startup.home.stateFile, log: log, table: table, loop: loop)
        stack = StackGate(table: table)
        stopCommands = StopCommands(log: log)
        prober = Prober(loop: loop, log: log, table: table, devNull: startup.devNull, wires: Prober.Wires(
            ready: { link.daemon?.apply(.probePassed, to: $0) },
            restart: { link.daemon?.apply(.autoRestart($1), to: $0) },
            emit: { link.daemon?.emit(.health, $0, $1) },
            request: { link.daemon?.probeRequest($0, for: $1, $2, descriptors: $3) ?? .failure(ProbeFailure("the daemon is leaving")) }))
        let dealer = ClusterDealer(loop: loop, log: log)
        self.dealer = dealer
        retirees = Retirees(loop: loop, log: log, stopping: { channel in dealer.leave(channel.token) })
        try loop.watch(startup.notifySocket.raw, .readable) { [weak self] _ in self?.receiveNotifications() }
        if let keeper {
            keeper.token = try loop.watch(keeper.socket.raw, [.readable, .peerClosed]) { [weak self] events in
                guard let self else { return }
                self.serviceKeeper(events)
            }
        }
        link.daemon = self
        log.onLine = { [weak self] line in self?.logs.daemonLogged(line) }
        try openConfiguredHTTP()
    }

    func makeToken() -> UInt64 { loop.makeToken() }

    /// Runs until a shutdown completes; returns the exit code.
    func run() -> Int32 {
        // Work queued before the loop (the reply to `update`, adopted in the new image)
        // goes out now, not when some later event happens to wake the loop.
        if let code = endTurn() { return code }
        let failed: (SystemError) -> Void = { [log] error in log.error("epoll_wait failed: \(error)") }
        // Clients already waiting when the loop starts are served before the keeper hears
        // `up`: the keeper's work then (keeper.pid) would take the core they wait on. A
        // few turns without sleeping: accepting, then reading, then finding nothing more.
        for _ in 0..<Self.turnsBeforeUp where keeper != nil {
            let turn = loop.turn(sleeping: false, endTurn: endTurn, failed: failed)
            if let code = turn.exitCode { return code }
            if turn.events == 0 { break }
        }
        keeper?.sayUp()
        if keeper?.isBehind == true { watchKeeper() }
        return loop.run(endTurn: endTurn, failed: failed)
    }

    /// Turns taken without sleeping before the keeper hears `up` (see `run`).
    static let turnsBeforeUp = 4

    /// What every turn ends with; the exit code once a shutdown has completed.
    private func endTurn() -> Int32? {
        adopted.forget()
        releaseHeld()
        advanceReloads()
        settleWaiters()
        // The table is on disk before any reply that reports a change goes out.
        if state.isBehind {
            state.write()
            keeper?.tableChanged()
            checkDescriptorBudget()
        }
        if keeper?.needsSync == true { syncKeeper() } else if keeper?.isBehind == true { watchKeeper() }
        clients.endTurn(unsaved: state.unsaved)
        if let container, shutdown == nil, let code = container.exitCode(Array(table.processes)) {
            beginShutdown(Shutdown(exitCode: code, forgetState: true), reason: "every app has ended (exit code \(code))")
        }
        if let shutdown, isQuiescent { return finish(shutdown) }
        return nil
    }

    private func handle(signal: Int32) {
        switch signal {
        case SignalFD.child:
            handleChildExits()
        case SignalFD.terminate, SignalFD.interrupt, SignalFD.quit:
            beginShutdown(Shutdown(exitCode: 0, forgetState: false), reason: "received \(Signals.name(of: signal))")
        case SignalFD.hangup where container != nil:
            // As under an init system, SIGHUP to `procd run` reloads every app.
            log.info("received SIGHUP; reloading every app")
            // Connection 0 is nobody's: no reply is owed.
            pending.startReload(ReloadJob(connection: 0, requestID: 0, pending: table.processIDs))
            advanceReloads()
        case SignalFD.hangup:
            log.info("received SIGHUP; reopening log files")
            logs.reopenFiles()
            log.reopen()
        default:
            break
        }
    }

    /// Stops every process; the loop exits once nothing runs.
    func beginShutdown(_ request: Shutdown, reason: String) {
        if shutdown == nil {
            log.info("\(reason): stopping every app, then exiting")
            emit(.daemon, app: "procd", ["action": .string("shutdown"), "reason": .string(reason)])
        }
        if !request.forgetState && !state.isFrozen { state.freeze() }
        mode.phase = .leaving(request)
        pending.cancelReloads()
        stopInOrder(table.processes.sorted(by: { $0.id < $1.id }), .stop)
        retirees.stopAll()
    }

    private var isQuiescent: Bool {
        table.processes.allSatisfy { !$0.lifecycle.isRunning && $0.lifecycle.status != .stopping }
            && pending.isEmpty && retirees.isEmpty
    }

    private func finish(_ shutdown: Shutdown) -> Int32 {
        logs.closeAll()
        web?.close()
        http?.close()
        clients.flushAll()
        if shutdown.forgetState {
            try? File.remove(startup.home.stateFile)
        }
        try? File.remove(startup.home.socket)
        try? File.remove(startup.home.pidFile)
        log.info("exiting")
        log.close()
        return shutdown.exitCode
    }
}

/// The daemon as its subsystems call back into it: set once the daemon exists, and weak,
/// since the subsystems belong to the daemon.
private final class DaemonLink {
    weak var daemon: Daemon?
}
