import ProcdCore
import ProcdPlatform
import ProcdWire

/// The control socket's clients: accepted (only the daemon's own uid and root), their
/// request lines framed and decoded, their replies written as the socket takes them, and
/// a client that stalls halfway through a request, or leaves a reply unread, dropped.
///
/// What a request asks is not the hub's business: each goes to its `Wires`.
final class ClientHub {
    /// A client may hold half a request, or leave a reply unread, this long.
    static let stallLimit: Duration = .seconds(10)

    private var acceptor: Acceptor?
    private let loop: EventLoop
    private let log: DaemonLog
    private let ownUser = Processes.effectiveUser
    private var connections: [UInt64: ControlConnection] = [:]
    private let wires: Wires

    /// What the hub asks of its owner; all given at init.
    struct Wires {
        /// A decoded request and the client that sent it.
        var request: (Request, ControlConnection) -> Void
        /// Whether the client still waits for a reply (a follow, a subscription, a slow start).
        var owesReplies: (ControlConnection) -> Bool
        /// A client was dropped: whatever waits to answer it is to be forgotten.
        var left: (UInt64) -> Void
    }

    init(listener: OwnedFD, loop: EventLoop, log: DaemonLog, wires: Wires) throws(SystemError) {
        self.loop = loop
        self.log = log
        self.wires = wires
        acceptor = try Acceptor(listener: listener, loop: loop, name: "control socket", log: { log.warning($0) }) { [weak self] fd in
            self?.accept(fd)
        }
    }

    var count: Int { connections.count }

    func connection(_ token: UInt64) -> ControlConnection? { connections[token] }

    /// Serves a client from now on: its requests are read as they arrive.
    func serve(_ connection: ControlConnection) throws(SystemError) {
        try loop.watch(connection.fd.raw, [.readable, .peerClosed], token: connection.token) { [weak self, connection] events in
            guard let self else { return }
            if events.contains(.readable) || events.contains(.hangup) { self.read(connection) }
            // Fully gone (not just done sending): nobody is left to read a reply.
            if events.contains(.hangup) || events.contains(.error) { connection.isClosed = true }
            if events.contains(.writable) { connection.flush() }
            self.updateInterest(connection)
        }
        connections[connection.token] = connection
    }

    /// Writes every queued reply the sockets take now.
    func flushAll() {
        for connection in connections.values where connection.wantsWrite { connection.flush() }
    }

    /// After the replies of a turn are queued: writes them, drops the clients that are
    /// done or gone, and arms the stall deadline of those the daemon now waits on.
    /// `unsaved`: `state.json` does not hold the table, so a reply that reports a change
    /// says so instead.
    func endTurn(unsaved: WireError?) {
        for connection in connections.values where connection.holdsReplies { connection.release(unsaved: unsaved) }
        flushAll()
        var freed = false
        for (token, connection) in connections where connection.isClosed {
            loop.unwatch(connection.fd.raw, token: connection.token)
            connection.fd.close()
            connections[token] = nil
            wires.left(token)
            freed = true
        }
        // Clients that queued while descriptors ran out are taken now that one is free.
        if freed { acceptor?.resume() }
        for connection in connections.values {
            if connection.inputClosed && !connection.closeAfterFlush && !wires.owesReplies(connection) {
                connection.finishAfterInput(owesReplies: false)
            }
            if connection.wantsWrite || connection.inputClosed { updateInterest(connection) }
            if connection.isWaitingOnClient && !connection.stallTimerArmed { armStallTimer(connection) }
        }
    }

    private func accept(_ fd: OwnedFD) {
        let connection = ControlConnection(token: loop.makeToken(), fd: fd)
        if let peer = try? UnixSocket.credentials(fd), peer.uid != ownUser, peer.uid != 0 {
            log.warning("refused a client with uid \(peer.uid) (pid \(peer.pid)): only uid \(ownUser) and root are served")
            connection.closeAfterFlush = true
            let who = ownUser == 0 ? "root" : "uid \(ownUser) and root"
            connection.send(.failure(id: nil, WireError(.forbidden, "this procd serves only \(who); use your own PROCD_HOME")))
            connection.flush()
            return
        }
        do {
            try serve(connection)
        } catch {
            log.warning("cannot watch a client: \(error)")
        }
    }

    private func read(_ connection: ControlConnection) {
        let end = loop.read(connection.fd, upTo: 16) { bytes in
            connection.lastProgress = Clock.now()
            for item in connection.framer.append(bytes) {
                switch item {
                case .line(let line):
                    switch Request.decode(line) {
                    case .success(let request): wires.request(request, connection)
                    case .failure(let failure): connection.send(.failure(id: failure.id, failure.error))
                    }
                case .tooLong:
                    connection.send(.failure(id: nil, WireError(.tooLarge, "request line longer than \(LineFramer.defaultLimit) bytes")))
                }
            }
        }
        switch end {
        case .failed: connection.isClosed = true
        case .endOfFile: connection.finishAfterInput(owesReplies: wires.owesReplies(connection))
        case .drained, .budgetSpent: break
        }
    }

    private func updateInterest(_ connection: ControlConnection) {
        guard !connection.isClosed else { return }
        var events: Epoll.Events = connection.inputClosed ? [] : [.readable, .peerClosed]
        if connection.wantsWrite { events.insert(.writable) }
        loop.change(connection.fd.raw, events, token: connection.token)
    }

    /// Drops the client once it has made no progress for `stallLimit`; the deadline is
    /// forgotten as soon as the client owes nothing.
    private func armStallTimer(_ connection: ControlConnection) {
        connection.stallTimerArmed = true
        let token = connection.token
        loop.schedule(at: connection.lastProgress + Self.stallLimit, isCurrent: { [weak self] _ in
            guard let self else { return false }
            guard let connection = self.connections[token] else { return false }
            if !connection.isWaitingOnClient { connection.stallTimerArmed = false }
            return connection.isWaitingOnClient
        }) { [weak self] now in
            guard let self else { return }
            guard let connection = self.connections[token] else { return }
            connection.stallTimerArmed = false
            guard connection.isWaitingOnClient else { return }
            if now - connection.lastProgress >= Self.stallLimit {
                self.log.warning(connection.framer.pendingCount > 0
                    ? "dropped a client that sent part of a request and stalled for \(Self.stallLimit.milliseconds / 1000) s"
                    : "dropped a client that did not read its reply for \(Self.stallLimit.milliseconds / 1000) s")
                connection.isClosed = true
            } else {
                self.armStallTimer(connection)
            }
        }
    }
}
