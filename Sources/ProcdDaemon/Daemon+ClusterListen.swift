import ProcdCore
import ProcdPlatform

/// Cluster mode for Node apps: their `listen()` calls get a listening socket the daemon
/// holds, one per app and address, passed over the Node IPC channel as Node passes handles
/// itself (a `NODE_HANDLE` message with the descriptor attached). Every instance accepts
/// on that one socket, which outlives restarts and reloads like a `--port` socket.
extension Daemon {
    /// Where the preload is for `spec`; written on first use, again when it changed.
    func clusterPreloadPath(for spec: AppSpec) -> String? {
        let path: String
        if spec.user != nil {
            // PROCD_HOME is 0700: another user reads a copy in a directory of its own.
            if let known = table.app(spec.name)?.preloadCopy { return known }
            guard let dir = File.makeTemporaryDirectory(prefix: "/tmp/procd-cluster-") else { return nil }
            try? File.setMode(dir, 0o755)
            path = dir + "/preload.js"
            table.app(spec.name)?.preloadCopy = path
        } else {
            path = startup.home.root + "/cluster-preload.js"
        }
        let current = (try? File.read(path)).map { String(decoding: $0, as: UTF8.self) }
        if current != ClusterPreload.script {
            do {
                try File.writeAtomically(path, Array(ClusterPreload.script.utf8), mode: 0o644, durable: false)
            } catch {
                log.warning("\(spec.name): unable to write \(path): \(error); cluster mode is off for it")
                return nil
            }
        }
        return path
    }

    /// NODE_OPTIONS for a cluster-mode app: the app's own, then our preload.
    func clusterEnvironment(_ spec: AppSpec, _ env: inout [String: String]) {
        guard spec.sharesListeners, let path = clusterPreloadPath(for: spec) else { return }
        env["NODE_OPTIONS"] = NodeOptions.appendingRequire(path, to: env["NODE_OPTIONS"])
        env[EnvironmentName.cluster] = "1"
    }

    /// Messages of the cluster preload (its NODE_PROCD_* commands).
    func clusterMessage(_ cmd: String, _ message: JSON, from channel: IPCChannel) {
        switch cmd {
        case "NODE_PROCD_LISTEN":
            answerListen(message, from: channel)
        case "NODE_PROCD_REJOIN":
            rejoin(message, from: channel)
        case "NODE_PROCD_ACK":
            guard let seq = message["seq"]?.intValue else { return }
            dealer.acknowledged(channel.token, seq: seq, accepted: message["accepted"]?.boolValue ?? false)
        case "NODE_PROCD_DONE":
            guard let key = message["key"]?.stringValue else { return }
            dealer.connectionClosed(channel.token, key: key)
        case "NODE_PROCD_UNLISTEN":
            guard let key = message["key"]?.stringValue else { return }
            dealer.leave(channel.token, key: key)
        default:
            break
        }
    }

    /// Answers a `listen()` of a cluster-mode instance: with balance `shared`, the app's
    /// socket for that address, opened now if it is the first; otherwise the key under
    /// which the daemon will deal it connections. Or the error Node would have met.
    func answerListen(_ message: JSON, from channel: IPCChannel) {
        guard let seq = message["seq"]?.intValue, let process = table.process(channel.processID),
              let app = table.app(process.appName) else { return }
        func answer(_ fields: JSONObject) {
            var reply = fields
            reply["cmd"] = .string("NODE_PROCD_LISTEN")
            reply["seq"] = .int(seq)
            _ = channel.send(.object(reply))
            updateInterest(channel)
        }
        let address: ListenAddress
        let socket: OwnedFD
        switch clusterSocket(message, app: app, label: process.label) {
        case .failure(let refusal):
            answer(["error": .string(refusal.reason), "code": .string(refusal.code)])
            return
        case .success(let opened):
            (address, socket) = opened
        }
        // An instance whose Node cannot take dealt connections (or whose preload predates
        // them, before an update) shares the socket.
        let balance = message["dealt"]?.boolValue == true ? app.spec.effectiveBalance : .shared
        if balance == .shared {
            let reply: JSON = .object([
                "cmd": .string("NODE_HANDLE"), "type": .string("net.Native"),
                "msg": .object(["cmd": .string("NODE_PROCD_LISTEN"), "seq": .int(seq)]),
            ])
            if !channel.send(reply, passing: socket) { log.warning("\(process.label): its IPC channel is full; listen() not answered") }
            updateInterest(channel)
        } else {
            let key = ClusterDealer.key(app: app.spec.name, address: address)
            answer(["key": .string(key), "balance": .string(balance.rawValue),
                    "port": .int(Sockets.port(of: socket) ?? address.port), "address": address.host.map { .string($0) } ?? .null])
            dealer.join(app: app.spec.name, key: key, listener: socket, balance: balance, channel: channel)
        }
        if process.channel === channel && (process.lifecycle.status == .launching || process.lifecycle.readyNote != nil) {
            log.info("\(process.label): ready (listening)")
            apply(.ready, to: process)
        }
    }

    /// A server an instance already listens with, told again to a daemon that started
    /// since (after a crash, or an update): it takes its connections again.
    private func rejoin(_ message: JSON, from channel: IPCChannel) {
        guard let process = table.process(channel.processID), let app = table.app(process.appName),
              app.spec.effectiveBalance != .shared,
              case .success(let (address, socket)) = clusterSocket(message, app: app, label: process.label) else { return }
        let key = ClusterDealer.key(app: app.spec.name, address: address)
        guard message["key"]?.stringValue == key else { return }
        dealer.join(app: app.spec.name, key: key, listener: socket, balance: app.spec.effectiveBalance, channel: channel)
    }

    /// Why a cluster instance gets no socket: the reason, and the errno name Node expects.
    struct ListenRefusal: Error {
        var reason: String
        var code: String
    }

    /// The app's socket for the address a `listen()` asked for, opened on first use.
    /// Numeric addresses only: resolving a name could block the loop (the preload looks
    /// names up first); and a bounded number of sockets an app.
    private func clusterSocket(_ message: JSON, app: ManagedApp, label: String) -> Result<(ListenAddress, OwnedFD), ListenRefusal> {
        let port = message["port"]?.intValue ?? -1
        let host = message["host"]?.stringValue
        let address = ListenAddress(host: host, port: port)
        let problem: String? = !app.spec.sharesListeners ? "not a cluster-mode app"
            : !(0...65_535).contains(port) ? "port \(port) is out of range"
            : host.map { !ListenAddress.isNumericHost($0) } == true ? "'\(host ?? "")' is not a numeric address"
            : app.sharedListeners.count >= 64 && app.sharedListeners[address] == nil
                ? "the app already listens on 64 addresses" : nil
        if let problem { return .failure(ListenRefusal(reason: problem, code: "EINVAL")) }
        if let held = app.sharedListeners[address] { return .success((address, held)) }
        let socket: OwnedFD
        do {
            socket = try Sockets.listenTCP(host: host, port: port)
            // Non-blocking for every holder (the flag belongs to the shared open file):
            // libuv accepts until EAGAIN, and on a blocking socket an instance woken for a
            // connection another took sleeps in accept(2) with its own clients unread.
            try socket.setNonBlocking()
        } catch {
            let code = error.code == Errno.addressInUse ? "EADDRINUSE" : error.code == Errno.accessDenied ? "EACCES" : "EINVAL"
            log.warning("\(label): cannot listen on \(host ?? "*"):\(port) for the app: \(error.reason)")
            return .failure(ListenRefusal(reason: error.reason, code: code))
        }
        app.sharedListeners[address] = socket
        keeper?.tableChanged()
        log.info("\(app.spec.name): listening on \(host ?? "*"):\(Sockets.port(of: socket) ?? port) for every instance (cluster mode, \(app.spec.effectiveBalance.rawValue))")
        return .success((address, socket))
    }

    /// A daemon that took over running instances (after a crash or an update) asks each
    /// cluster instance to tell its servers again: the balancing state died with the old one.
    func resyncCluster() {
        for process in table.processes where table.app(process.appName)?.spec.sharesListeners == true {
            guard let channel = process.channel else {
                restartWithoutChannel(process)
                continue
            }
            _ = channel.send(.object(["cmd": .string("NODE_PROCD_RESYNC")]))
            updateInterest(channel)
        }
    }

    /// An instance whose IPC channel died with the previous daemon (killed before the
    /// keeper had its copy) can be neither dealt connections nor told anything: it would
    /// run on, online and idle. It is restarted, and gets a channel again.
    private func restartWithoutChannel(_ process: ManagedProcess) {
        guard process.lifecycle.isRunning, process.lifecycle.status != .stopping,
              let spec = table.app(process.appName)?.spec, spec.effectiveBalance != .shared else { return }
        apply(.autoRestart("its IPC channel was lost with the previous daemon"), to: process)
    }

    func updateInterest(_ channel: IPCChannel) { channel.updateInterest(in: loop) }

    /// When an app gives up and its last output says its port was taken, the reason says
    /// so and how to share a port: instances that each bind it collide.
    func explainAddressInUse(_ process: ManagedProcess) {
        guard process.lifecycle.status == .errored, let spec = table.app(process.appName)?.spec else { return }
        let tail = [process.errLog, process.outLog].flatMap { (try? File.tail($0, lines: 20)) ?? [] }
        guard tail.contains(where: { $0.contains("EADDRINUSE") || $0.lowercased().contains("address already in use") }) else { return }
        // Its instances already share (cluster mode, --port) or there is one: the port is
        // someone else's. Otherwise its own instances collide.
        let fix = spec.sharesListeners || !spec.listen.isEmpty || spec.instances == 1
            ? "another program or app holds the port; stop it, or give this app another port"
            : spec.isNode
            ? "run it in cluster mode (--exec-mode cluster, or exec_mode: \"cluster\") so its instances share the port"
            : "let procd hold the port and pass it to every instance with --port (socket activation)"
        process.lifecycle.explain("its output says the address is already in use: \(fix)")
        log.info("\(process.label): \(process.lifecycle.lastReason ?? "")")
    }
}
