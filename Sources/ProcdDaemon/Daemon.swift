import ProcdCore
import ProcdPlatform
import ProcdWire

/// The daemon: the single owner of every app, process, stream, timer and client.
///
/// Everything runs on one thread in `run()`: epoll waits for the control socket, the
/// clients, the app pipes and signalfd; the only timeout is the nearest deadline, so an
/// idle daemon with nothing scheduled never wakes.
public final class Daemon {
    let home: ProcdHome
    let log: DaemonLog
    let loop: EventLoop
    let signals: SignalFD
    let listener: OwnedFD
    let notifySocket: OwnedFD
    /// NOTIFY_SOCKET as the apps see it (an abstract address, so any uid can reach it).
    let notifyAddress: String
    let devNull: OwnedFD
    let lock: OwnedFD
    let startedAt = Clock.now()
    let ownUser = Processes.effectiveUser
    /// The executable's path, taken at start: `update` executes whatever is there now.
    let executable = Environment.executablePath.map { $0.hasSuffix(" (deleted)") ? String($0.dropLast(10)) : $0 }

    var apps: [String: ManagedApp] = [:]
    var appOrder: [String] = []
    var processes: [Int: ManagedProcess] = [:]
    var processByPid: [Int32: Int] = [:]
    var nextProcessID = 0
    /// Processes whose leader exited while others of its group still run.
    var draining = Set<Int>()

    var connections: [UInt64: ControlConnection] = [:]
    var streams: [UInt64: OutputStream] = [:]
    var logFiles: [String: LogFile] = [:]
    var waiters: [Waiter] = []
    var followers: [Follower] = []
    var channels: [UInt64: IPCChannel] = [:]
    var retirees: [Int32: Retiree] = [:]
    var reloads: [ReloadJob] = []
    var probes: [UInt64: HealthProbe] = [:]
    let settings: DaemonSettings
    var stateDirty = false
    /// The size of the last `state.json`, to allocate the next one at once.
    var stateSizeHint = 4096
    /// How many apps the last `state.json` held.
    var stateAppCount = -1
    /// While shutting down for SIGTERM the table is kept as it was, so the next start
    /// (after a reboot, say) brings the apps back.
    var stateFrozen = false
    /// A problem found at start-up, told to the next client.
    var pendingNotice: String?
    var shutdown: Shutdown?
    /// `procd run`: the console and the exit once the apps are done.
    var container: ContainerMode?
    /// Children procd adopted (see Daemon+Descendants), read at most once a turn.
    var adoptedThisTurn: [Int32]?
    let events = EventBus()
    /// The HTTP listener, when `PROCD_HTTP`, `--http` or `procctl web` asks for one.
    var http: HTTPServer?
    /// The dashboard on that listener.
    var web: WebDashboard?
    /// The keeper above this daemon (see `Keeper`), when there is one.
    var keeper: KeeperLink?
    /// The table changed: the keeper's copies of listening sockets are brought in line at
    /// the end of the turn.
    var keeperDirty = true
    /// The compact `list` reply is written here and the storage reused from call to call.
    var listBuffer: [UInt8] = []

    static let keeperToken: UInt64 = 4

    /// How the daemon is leaving: which exit code, and whether the table is forgotten.
    struct Shutdown {
        var exitCode: Int32
        var forgetState: Bool
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
        self.home = home
        self.keeper = keeper
        self.settings = settings
        self.log = log
        self.lock = lock
        devNull = try File.openNull()
        signals = try SignalFD([SignalFD.child, SignalFD.terminate, SignalFD.interrupt, SignalFD.quit, SignalFD.hangup])
        SignalFD.ignoreBrokenPipe()
        try Processes.becomeSubreaper()
        Processes.raiseDescriptorLimit()
        listener = endpoints.listener
        notifySocket = endpoints.notifySocket
        notifyAddress = endpoints.notifyAddress
        loop = try EventLoop()
        try loop.watch(listener.raw, .readable) { [unowned self] _ in self.acceptClients() }
        try loop.watch(signals.fd.raw, .readable) { [unowned self] _ in self.handleSignals() }
        try loop.watch(notifySocket.raw, .readable) { [unowned self] _ in self.receiveNotifications() }
        if let keeper {
            try loop.watch(keeper.socket.raw, [.readable, .peerClosed], token: Self.keeperToken) { [unowned self] events in
                self.serviceKeeper(events)
            }
        }
        log.onLine = { [unowned self] line in self.daemonLogged(line) }
        events.onDrop = { [unowned self] message in self.log.warning(message) }
        try openConfiguredHTTP()
    }

    func makeToken() -> UInt64 { loop.makeToken() }

    /// Runs until a shutdown completes; returns the exit code.
    func run() -> Int32 {
        // Work queued before the loop (the reply to `update`, adopted in the new image)
        // goes out now, not when some later event happens to wake the loop.
        if let code = endTurn() { return code }
        keeper?.sayUp()
        return loop.run(endTurn: endTurn) { error in log.error("epoll_wait failed: \(error)") }
    }

    /// What every turn ends with; the exit code once a shutdown has completed.
    private func endTurn() -> Int32? {
        adoptedThisTurn = nil
        advanceReloads()
        settleWaiters()
        // The table is on disk before any reply that reports a change goes out.
        if stateDirty {
            persistState()
            keeperDirty = true
        }
        if keeperDirty { syncKeeper() } else if keeper?.isBehind == true { watchKeeper() }
        for connection in connections.values where connection.wantsWrite { connection.flush() }
        dropClosedConnections()
        if let container, shutdown == nil, let code = container.exitCode(Array(processes.values)) {
            beginShutdown(Shutdown(exitCode: code, forgetState: true), reason: "every app has ended (exit code \(code))")
        }
        if let shutdown, isQuiescent { return finish(shutdown) }
        return nil
    }

    private func handleSignals() {
        for signal in signals.drain() {
            switch signal {
            case SignalFD.child:
                handleChildExits()
            case SignalFD.terminate, SignalFD.interrupt, SignalFD.quit:
                beginShutdown(Shutdown(exitCode: 0, forgetState: false), reason: "received \(Signals.name(of: signal))")
            case SignalFD.hangup where container != nil:
                // As under an init system, SIGHUP to `procd run` reloads every app.
                log.info("received SIGHUP; reloading every app")
                // Connection 0 is nobody's: no reply is owed.
                reloads.append(ReloadJob(connection: 0, requestID: 0, pending: processes.keys.sorted()))
                advanceReloads()
            case SignalFD.hangup:
                log.info("received SIGHUP; reopening log files")
                reopenLogFiles()
                log.reopen()
            default:
                break
            }
        }
    }

    /// Stops every process; the loop exits once nothing runs.
    func beginShutdown(_ request: Shutdown, reason: String) {
        if shutdown == nil {
            log.info("\(reason): stopping every app, then exiting")
            emit(.daemon, app: "procd", ["action": .string("shutdown"), "reason": .string(reason)])
        }
        if !request.forgetState && !stateFrozen {
            persistState()
            stateFrozen = true
        }
        shutdown = request
        reloads.removeAll()
        for p in processes.values.sorted(by: { $0.id < $1.id }) { apply(.stop, to: p) }
        for pid in retirees.keys { stopRetiree(pid) }
    }

    private var isQuiescent: Bool {
        processes.values.allSatisfy { !$0.lifecycle.isRunning && $0.lifecycle.status != .stopping }
            && waiters.isEmpty && retirees.isEmpty
    }

    private func finish(_ shutdown: Shutdown) -> Int32 {
        for stream in Array(streams.values) { drainAndClose(stream) }
        web?.close()
        http?.close()
        for connection in connections.values { connection.flush() }
        if shutdown.forgetState {
            try? File.remove(home.stateFile)
        }
        try? File.remove(home.socket)
        try? File.remove(home.pidFile)
        log.info("exiting")
        log.close()
        return shutdown.exitCode
    }
}
