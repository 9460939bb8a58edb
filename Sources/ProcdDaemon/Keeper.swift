import ProcdCore
import ProcdPlatform

/// The keeper: a small process above the daemon that lets the apps outlive a daemon crash.
///
/// `procd --foreground` becomes the keeper and starts the daemon as its child. The keeper is
/// a child subreaper, so when the daemon dies the apps become the keeper's children; it
/// holds a copy of every descriptor the daemon asks it to (log pipes, listening sockets,
/// the notify and control sockets, IPC channels), so their pipes keep a reader and their
/// sockets stay open; it reaps what exits and keeps the statuses; and it starts the daemon
/// again, which takes all of that back. It does nothing else, so there is little in it
/// that can fail: no table, no timers, no parsing beyond one line a message.
///
/// A daemon that exits (rather than being killed by a signal) has stopped on purpose:
/// the keeper exits with its code. Signals for the daemon (SIGTERM from an init system,
/// SIGHUP) are passed on to it.
struct Keeper {
    /// Crashes in a row at start-up (before the daemon's loop runs) after which the keeper
    /// gives up: the daemon cannot start with what it is given. A daemon killed once it ran
    /// (kill -9, the OOM killer, a fault) is always started again.
    static let startupCrashLimit = 5

    private let arguments: [String]
    private let home: ProcdHome
    private let echo: Bool
    /// Opened at the first line: the keeper rarely writes one.
    private var log: DaemonLog?
    /// The home taken and the sockets opened for the first daemon, before its fork.
    private var firstDaemon: (claim: HomeClaim, endpoints: Daemon.Endpoints)?
    private var held: [String: (fd: OwnedFD, meta: String)] = [:]
    /// Exits reaped while no daemon was listening.
    private var exits: [Processes.Reaped] = []
    private var daemonPid: Int32 = 0
    private var link: OwnedFD?
    /// The daemon said hello: exits go to it as they come.
    private var greeted = false
    private var startupCrashes = 0
    /// The daemon said `up`.
    private var daemonUp = false
    private let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 16 << 10, alignment: 8)

    /// Whether this `procd --foreground` should be the keeper: not when it is the daemon
    /// a keeper started, and not when turned off.
    static var wanted: Bool {
        Environment.get(EnvironmentName.keeperFD) == nil && Environment.get(EnvironmentName.noKeeper) != "1"
    }

    /// Runs the daemon in this image: the first daemon is a fork of the keeper, which
    /// spares a boot the cost of a second exec (see `startDaemon`).
    private let runDaemon: () -> Int32

    /// - Parameters:
    ///   - claim: the home, taken for the first daemon (see `HomeClaim`).
    ///   - endpoints: the first daemon's control and notify sockets, which the keeper holds
    ///     from the fork on.
    init(arguments: [String], home: ProcdHome, echo: Bool, claim: HomeClaim, endpoints: Daemon.Endpoints,
         runDaemon: @escaping () -> Int32) {
        self.arguments = arguments
        self.home = home
        self.echo = echo
        self.runDaemon = runDaemon
        firstDaemon = (claim, endpoints)
    }

    /// Writes one line to procd.log, reopened first: the daemon may have rotated it.
    private mutating func logError(_ message: String) {
        if let log {
            log.reopen()
        } else {
            log = DaemonLog(path: home.daemonLog, echo: echo, rotates: false)
        }
        log?.error(message)
    }

    /// Runs until the daemon stops on purpose; returns its exit code. `keeper.pid` goes
    /// with the keeper, as `procd.pid` goes with the daemon.
    mutating func run() -> Int32 {
        let code = keep()
        let pidFile = home.root + "/keeper.pid"
        if let text = try? File.read(pidFile), String(decoding: text, as: UTF8.self).split(separator: "\n").first == "\(Processes.currentPid)" {
            try? File.remove(pidFile)
        }
        return code
    }

    private mutating func keep() -> Int32 {
        let signals: SignalFD
        let epoll: Epoll
        do {
            signals = try SignalFD([SignalFD.child, SignalFD.terminate, SignalFD.interrupt, SignalFD.quit, SignalFD.hangup])
            SignalFD.ignoreBrokenPipe()
            // The keeper holds a copy of every pipe the daemon does: it needs as many
            // descriptors, and at 1024 a few hundred apps would leave it unable to start
            // the daemon again (socketpair: EMFILE).
            Processes.raiseDescriptorLimit()
            try Processes.becomeSubreaper()
            // Told apart from the daemon in top and pgrep: `kill -9` of procd is meant for it.
            Processes.setName("procd-keeper")
            epoll = try Epoll()
            try epoll.add(signals.fd.raw, events: .readable, token: 1)
        } catch {
            Environment.write("procd: fatal: cannot start the keeper: \(error)\n", to: Environment.standardError)
            return 1
        }
        var ready = DaemonMain.readyPipe()
        guard startDaemon(epoll: epoll, ready: ready, forkFrom: signals) else { return 1 }
        ready?.close()
        ready = nil
        while true {
            guard let events = try? epoll.wait(timeout: nil) else { continue }
            for event in events {
                if event.token == 1 {
                    for signal in signals.drain() {
                        if signal == SignalFD.child {
                            if let code = reap(epoll: epoll) { return code }
                        } else if daemonPid > 0 {
                            _ = try? Processes.signal(daemonPid, signal)
                        } else {
                            return 0
                        }
                    }
                } else {
                    readLink(epoll: epoll)
                }
            }
        }
    }

    /// Starts the daemon with its end of a new link as descriptor 3 (and, the first time,
    /// the launcher's ready pipe as descriptor 4). The first time (`forkFrom`, the keeper's
    /// signalfd, given) the daemon is a fork of the keeper that runs the daemon's code
    /// without an exec: the keeper has one thread, and holds the daemon's control and
    /// notify sockets from the fork on. After a crash it is a fresh image of the executable.
    private mutating func startDaemon(epoll: Epoll, ready: OwnedFD?, forkFrom signals: SignalFD? = nil) -> Bool {
        do {
            let (mine, theirs) = try Sockets.messagePair()
            // Watched before a fork: after it the keeper goes to sleep at once, because the
            // daemon may be waiting for the keeper's core (see `settleFirstDaemon`).
            try mine.setNonBlocking()
            try epoll.add(mine.raw, events: [.readable, .peerClosed], token: 2)
            if let signals {
                daemonPid = try Processes.forkProcess()
                if daemonPid == 0 {
                    // The daemon: none of the keeper's descriptors but the link and the
                    // ready pipe; its signals are blocked and taken by its own signalfd.
                    Processes.setName("procd")
                    epoll.close()
                    signals.fd.close()
                    mine.close()
                    Environment.set(EnvironmentName.keeperFD, String(theirs.release()))
                    if let ready { Environment.set(EnvironmentName.readyFD, String(ready.release())) }
                    Processes.exit(runDaemon())
                }
            } else {
                let executable = Environment.executablePath.map { $0.hasSuffix(" (deleted)") ? String($0.dropLast(10)) : $0 } ?? "procd"
                var env = Environment.all()
                env[EnvironmentName.keeperFD] = "3"
                env[EnvironmentName.readyFD] = ready == nil ? nil : "4"
                // Nothing held and nothing reaped: the daemon need not wait for the answer
                // to its hello before it listens.
                env[EnvironmentName.keeperEmpty] = held.isEmpty && exits.isEmpty ? "1" : nil
                let request = Spawn.Request(path: executable, argv: arguments, env: env.map { "\($0.key)=\($0.value)" }, cwd: nil,
                                            descriptors: [0, 1, 2, theirs.raw] + (ready.map { [$0.raw] } ?? []))
                daemonPid = try Spawn.spawn(request)
            }
            theirs.close()
            link = mine
            // A forked daemon needs no greeting (see `KeeperLink.holdsSinceFork`); one
            // started again says hello.
            greeted = signals != nil
            return true
        } catch {
            logError("keeper: cannot start the daemon: \(error)")
            return false
        }
    }

    /// The keeper's work for the first daemon, done once that daemon has served (`up`) or
    /// has died: a fork's child often waits for its parent's core, so the keeper sleeps
    /// right after the fork and leaves this until the daemon no longer needs the core. The
    /// claim's lock is the daemon's alone (see `HomeClaim`); the sockets are held as if the
    /// daemon had sent them.
    private mutating func settleFirstDaemon() {
        guard let first = firstDaemon else { return }
        firstDaemon = nil
        first.claim.lock.close()
        held["control"] = (first.endpoints.listener, KeeperLink.controlMeta(home).serialized())
        held["notify"] = (first.endpoints.notifySocket, KeeperLink.notifyMeta(first.endpoints.notifyAddress).serialized())
        writePidFile()
    }

    /// Reaps every exit; the daemon's own is a crash (start it again) or a stop (exit).
    private mutating func reap(epoll: Epoll) -> Int32? {
        for reaped in Processes.reapAll() {
            guard reaped.pid == daemonPid else {
                exits.append(reaped)
                continue
            }
            // What the daemon sent before it died is still in the socket, descriptors
            // included: take it all before letting the link go.
            readLink(epoll: epoll)
            closeLink(epoll: epoll)
            daemonPid = 0
            switch reaped.status {
            case .code(let code):
                return code
            case .signal(let signal):
                settleFirstDaemon()
                startupCrashes = daemonUp ? 0 : startupCrashes + 1
                daemonUp = false
                guard startupCrashes < Self.startupCrashLimit else {
                    logError("keeper: procd (pid \(reaped.pid)) was killed by \(Signals.name(of: signal)) while starting, \(startupCrashes) times in a row; giving up (the apps lose their reader and their supervisor; the next procctl starts a fresh procd)")
                    return 1
                }
                logError("keeper: procd (pid \(reaped.pid)) was killed by \(Signals.name(of: signal)); the apps run on; starting procd again")
                guard startDaemon(epoll: epoll, ready: nil) else { return 1 }
            }
        }
        if greeted { forwardExits() }
        return nil
    }

    private mutating func forwardExits() {
        while let first = exits.first, let link, send(.exit(pid: first.pid, status: first.status), on: link) {
            exits.removeFirst()
        }
    }

    private mutating func readLink(epoll: Epoll) {
        guard let link else { return }
        while true {
            let (result, passed) = (try? Sockets.receive(link, into: buffer, wait: false)) ?? (.endOfFile, nil)
            switch result {
            case .bytes(let n):
                let text = String(decoding: UnsafeRawBufferPointer(rebasing: buffer[0..<n]), as: UTF8.self)
                handle(KeeperMessage(text), passed: passed, on: link)
            case .wouldBlock:
                return
            case .endOfFile:
                // The daemon is gone or going; its exit status says which.
                closeLink(epoll: epoll)
                return
            }
        }
    }

    private mutating func handle(_ message: KeeperMessage?, passed: OwnedFD?, on link: OwnedFD) {
        switch message {
        case .hold(let key, let meta)?:
            guard let passed else { return }
            held[key]?.fd.close()
            held[key] = (passed, meta)
        case .drop(let key)?:
            held.removeValue(forKey: key)?.fd.close()
        case .up?:
            daemonUp = true
            settleFirstDaemon()
        case .hello?:
            writePidFile()
            for (key, entry) in held.sorted(by: { $0.key < $1.key }) {
                _ = send(.have(key: key, meta: entry.meta), on: link, passing: entry.fd)
            }
            greeted = true
            forwardExits()
            _ = send(.end, on: link)
        default:
            passed?.close()
        }
    }

    /// `keeper.pid`: written once the keeper's daemon holds the home's lock.
    private func writePidFile() {
        try? File.writeAtomically(home.root + "/keeper.pid", Array("\(Processes.currentPid)\n".utf8), mode: 0o600, durable: false)
    }

    /// Sends one message, waiting while the daemon's side is full (it is reading).
    private func send(_ message: KeeperMessage, on link: OwnedFD, passing fd: OwnedFD? = nil) -> Bool {
        let bytes = Array(message.text.utf8)
        while true {
            let result: IOResult? = bytes.withUnsafeBytes { raw in
                if let fd { return try? Sockets.send(link, raw, passing: fd) }
                return try? link.write(raw)
            }
            switch result {
            case .bytes?:
                return true
            case .wouldBlock?:
                guard let waiter = try? Epoll(), (try? waiter.add(link.raw, events: .writable, token: 0)) != nil,
                      let ready = try? waiter.wait(timeout: .seconds(10)), !ready.isEmpty else { return false }
            default:
                return false
            }
        }
    }

    private mutating func closeLink(epoll: Epoll) {
        guard let link else { return }
        epoll.remove(link.raw)
        link.close()
        self.link = nil
        greeted = false
    }
}
