import ProcdCore
import ProcdPlatform

/// Cluster mode for Node apps: their `listen()` calls get a listening socket the daemon
/// holds, one per app and address, passed over the Node IPC channel as Node passes handles
/// itself (a `NODE_HANDLE` message with the descriptor attached). Every instance accepts
/// on that one socket, which outlives restarts and reloads like a `--port` socket.
extension Daemon {
    /// The preload script `--require`d by cluster-mode apps, written under PROCD_HOME at
    /// start (and, for apps that run as another user, where that user can read it).
    static let clusterPreload = #"""
'use strict';
// procd's cluster mode: listen() on a port asks the procd daemon for the listening socket
// it holds for this app and address, over the IPC channel, so every instance accepts on
// one socket with no change to the app. Loaded with --require; does nothing elsewhere.
const net = require('net');
if (typeof process.send === 'function' && process.env.PROCD_CLUSTER === '1' && !process.env.NODE_UNIQUE_ID) {
  const listen = net.Server.prototype.listen;
  const pending = new Map();
  let next = 0;
  process.on('internalMessage', (message, handle) => {
    if (!message || message.cmd !== 'NODE_PROCD_LISTEN') return;
    const done = pending.get(message.seq);
    if (!done) {
      if (handle) handle.close();
      return;
    }
    pending.delete(message.seq);
    done(message, handle);
  });
  const portOf = (value) => {
    if (value === undefined || value === null) return 0;
    const port = Number(value);
    return Number.isInteger(port) && port >= 0 && port <= 65535 && String(value).trim() !== '' ? port : -1;
  };
  // The port, host and callback of a listen() that binds a TCP port; null for anything
  // else (a Unix socket path, a handle, an fd, exclusive), which keeps Node's own listen.
  const request = (args) => {
    const list = Array.from(args);
    const callback = typeof list[list.length - 1] === 'function' ? list.pop() : undefined;
    const first = list[0];
    let port, host;
    if (first === undefined || first === null) {
      port = 0;
    } else if (typeof first === 'object') {
      if (first.path !== undefined || first.fd !== undefined || first.handle !== undefined || first._handle !== undefined || first.exclusive) return null;
      port = portOf(first.port);
      host = first.host;
    } else if (typeof first === 'number' || (typeof first === 'string' && /^\s*\d+\s*$/.test(first))) {
      port = portOf(first);
      if (typeof list[1] === 'string') host = list[1];
    } else {
      return null;
    }
    if (port < 0) return null;
    return { port, host: typeof host === 'string' && host !== '' ? host : undefined, callback };
  };
  // A reload or stop sends SIGTERM, which ends Node at once, cutting requests in flight.
  // Unless the app handles SIGTERM itself, its shared servers stop accepting (the other
  // instances take the new connections), answer what reaches them with
  // "Connection: close" so keep-alive clients move on, and the process exits when the
  // last connection is gone (or at the kill timeout). Connections are never cut here: one
  // accepted a moment ago may be about to send its request.
  const servers = new Set();
  process.on('SIGTERM', () => {
    if (process.listenerCount('SIGTERM') > 1) return;
    let open = servers.size;
    if (open === 0) process.exit(0);
    for (const server of servers) {
      server.prependListener('request', (request, response) => { response.shouldKeepAlive = false; });
      net.Server.prototype.close.call(server, () => { if (--open === 0) process.exit(0); });
    }
  });
  net.Server.prototype.listen = function (...args) {
    const wanted = request(args);
    if (!wanted) return listen.apply(this, args);
    const server = this;
    const seq = ++next;
    // Keeps the event loop alive while the daemon answers.
    const keep = setInterval(() => {}, 1 << 30);
    pending.set(seq, (answer, handle) => {
      clearInterval(keep);
      if (!handle || answer.error) {
        const error = new Error(`listen ${answer.code || 'EADDRINUSE'}: ${answer.error || 'no socket'} ${wanted.host || '::'}:${wanted.port}`);
        error.code = answer.code || 'EADDRINUSE';
        error.syscall = 'listen';
        error.port = wanted.port;
        process.nextTick(() => server.emit('error', error));
        return;
      }
      servers.add(server);
      server.once('close', () => servers.delete(server));
      if (wanted.callback) listen.call(server, handle, wanted.callback);
      else listen.call(server, handle);
    });
    // The daemon takes numeric addresses only (a name lookup there could block it): names
    // are looked up here first, as Node's own listen() does.
    const ask = (host) => process.send({ cmd: 'NODE_PROCD_LISTEN', seq, port: wanted.port, host });
    if (wanted.host === undefined || net.isIP(wanted.host)) {
      ask(wanted.host === undefined ? null : wanted.host);
    } else {
      require('dns').lookup(wanted.host, (error, address) => {
        if (error) {
          pending.delete(seq);
          clearInterval(keep);
          process.nextTick(() => server.emit('error', error));
          return;
        }
        ask(address);
      });
    }
    return this;
  };
}
"""#

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
            path = home.root + "/cluster-preload.js"
        }
        let current = (try? File.read(path)).map { String(decoding: $0, as: UTF8.self) }
        if current != Self.clusterPreload {
            do {
                try File.writeAtomically(path, Array(Self.clusterPreload.utf8), mode: 0o644, durable: false)
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
        env["PROCD_CLUSTER"] = "1"
    }

    /// Answers a `listen()` of a cluster-mode instance: the app's socket for that address,
    /// opened now if it is the first; or the error Node would have met.
    func answerListen(_ message: JSON, from channel: IPCChannel) {
        guard let seq = message["seq"]?.intValue, let process = table.process(channel.processID),
              let app = table.app(process.appName) else { return }
        let port = message["port"]?.intValue ?? -1
        let host = message["host"]?.stringValue
        // Numeric addresses only: resolving a name could block the loop (the preload looks
        // names up first); and a bounded number of sockets an app.
        let problem: String? = !app.spec.sharesListeners ? "not a cluster-mode app"
            : !(0...65_535).contains(port) ? "port \(port) is out of range"
            : host.map { !ListenAddress.isNumericHost($0) } == true ? "'\(host ?? "")' is not a numeric address"
            : app.sharedListeners.count >= 64 && app.sharedListeners[ListenAddress(host: host, port: port)] == nil
                ? "the app already listens on 64 addresses" : nil
        if let problem {
            _ = channel.send(.object(["cmd": .string("NODE_PROCD_LISTEN"), "seq": .int(seq),
                                      "error": .string(problem), "code": .string("EINVAL")]))
            updateInterest(channel)
            return
        }
        let address = ListenAddress(host: host, port: port)
        let socket: OwnedFD
        if let held = app.sharedListeners[address] {
            socket = held
        } else {
            do {
                socket = try Sockets.listenTCP(host: host, port: port)
                // Non-blocking for every holder (the flag belongs to the shared open file):
                // libuv accepts until EAGAIN, and on a blocking socket an instance woken for a
                // connection another took sleeps in accept(2) with its own clients unread.
                try socket.setNonBlocking()
            } catch {
                let code = error.code == Errno.addressInUse ? "EADDRINUSE" : error.code == Errno.accessDenied ? "EACCES" : "EINVAL"
                log.warning("\(process.label): cannot listen on \(host ?? "*"):\(port) for the app: \(error.reason)")
                _ = channel.send(.object(["cmd": .string("NODE_PROCD_LISTEN"), "seq": .int(seq),
                                          "error": .string(error.reason), "code": .string(code)]))
                updateInterest(channel)
                return
            }
            app.sharedListeners[address] = socket
            keeper?.tableChanged()
            log.info("\(app.spec.name): listening on \(host ?? "*"):\(Sockets.port(of: socket) ?? port) for every instance (cluster mode)")
        }
        let reply: JSON = .object([
            "cmd": .string("NODE_HANDLE"), "type": .string("net.Native"),
            "msg": .object(["cmd": .string("NODE_PROCD_LISTEN"), "seq": .int(seq)]),
        ])
        if !channel.send(reply, passing: socket) { log.warning("\(process.label): its IPC channel is full; listen() not answered") }
        updateInterest(channel)
        if process.channel === channel && process.lifecycle.status == .launching {
            log.info("\(process.label): ready (listening)")
            apply(.ready, to: process)
        }
    }

    func updateInterest(_ channel: IPCChannel) {
        guard !channel.isClosed else { return }
        loop.change(channel.fd.raw, channel.wantsWrite ? [.readable, .peerClosed, .writable] : [.readable, .peerClosed], token: channel.token)
    }

    /// When an app gives up and its last output says its port was taken, the reason says
    /// so and how to share a port: instances that each bind it collide.
    func explainAddressInUse(_ process: ManagedProcess) {
        guard process.lifecycle.status == .errored, let spec = table.app(process.appName)?.spec else { return }
        let tail = [process.errLog, process.outLog].flatMap { (try? File.tail($0, lines: 20)) ?? [] }
        guard tail.contains(where: { $0.contains("EADDRINUSE") || $0.lowercased().contains("address already in use") }) else { return }
        let fix = spec.isNode
            ? "run it in cluster mode (--exec-mode cluster, or exec_mode: \"cluster\") so its instances share the port"
            : "let procd hold the port and pass it to every instance with --port (socket activation)"
        process.lifecycle.explain("its output says the address is already in use: \(fix)")
        log.info("\(process.label): \(process.lifecycle.lastReason ?? "")")
    }
}
