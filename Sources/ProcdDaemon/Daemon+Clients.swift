import ProcdCore
import ProcdPlatform
import ProcdWire

extension Daemon {
    func acceptClients() {
        while true {
            let accepted: OwnedFD?
            do {
                accepted = try UnixSocket.accept(listener)
            } catch {
                // EMFILE and friends: log and leave the rest queued for the next turn.
                log.warning("accept failed: \(error)")
                return
            }
            guard let fd = accepted else { return }
            let connection = ControlConnection(token: makeToken(), fd: fd)
            if let peer = try? UnixSocket.credentials(fd), peer.uid != ownUser, peer.uid != 0 {
                log.warning("refused a client with uid \(peer.uid) (pid \(peer.pid)): only uid \(ownUser) and root are served")
                connection.closeAfterFlush = true
                let who = ownUser == 0 ? "root" : "uid \(ownUser) and root"
                connection.send(.failure(id: nil, WireError(.forbidden, "this procd serves only \(who); use your own PROCD_HOME")))
                connection.flush()
                continue
            }
            do {
                try watch(connection)
            } catch {
                log.warning("cannot watch a client: \(error)")
            }
        }
    }

    /// Serves a client from now on: its requests are read as they arrive.
    func watch(_ connection: ControlConnection) throws(SystemError) {
        try loop.watch(connection.fd.raw, [.readable, .peerClosed], token: connection.token) { [unowned self, unowned connection] events in
            if events.contains(.readable) || events.contains(.hangup) { self.readRequests(connection) }
            // Fully gone (not just done sending): nobody is left to read a reply.
            if events.contains(.hangup) || events.contains(.error) { connection.isClosed = true }
            if events.contains(.writable) { connection.flush() }
            self.updateInterest(connection)
        }
        connections[connection.token] = connection
    }

    func readRequests(_ connection: ControlConnection) {
        for _ in 0..<16 {
            let result: IOResult
            do {
                result = try connection.fd.read(into: loop.scratch)
            } catch {
                connection.isClosed = true
                return
            }
            switch result {
            case .bytes(let n):
                connection.lastProgress = Clock.now()
                for item in connection.framer.append(UnsafeRawBufferPointer(rebasing: loop.scratch[0..<n])) {
                    switch item {
                    case .line(let line):
                        switch Request.decode(line) {
                        case .success(let request): handle(request, from: connection)
                        case .failure(let failure): connection.send(.failure(id: failure.id, failure.error))
                        }
                    case .tooLong:
                        connection.send(.failure(id: nil, WireError(.tooLarge, "request line longer than \(LineFramer.defaultLimit) bytes")))
                    }
                }
            case .wouldBlock:
                return
            case .endOfFile:
                connection.finishAfterInput(owesReplies: owesReplies(connection))
                return
            }
        }
    }

    /// Whether a request of this client is still waiting for its reply.
    func owesReplies(_ connection: ControlConnection) -> Bool {
        let token = connection.token
        return waiters.contains { $0.connection == token } || reloads.contains { $0.connection == token }
            || followers.contains { $0.connection == token } || events.subscribers[token] != nil
    }

    func updateInterest(_ connection: ControlConnection) {
        guard !connection.isClosed else { return }
        var events: Epoll.Events = connection.inputClosed ? [] : [.readable, .peerClosed]
        if connection.wantsWrite { events.insert(.writable) }
        loop.change(connection.fd.raw, events, token: connection.token)
    }

    func dropClosedConnections() {
        for (token, connection) in connections where connection.isClosed {
            loop.unwatch(connection.fd.raw, token: connection.token)
            connection.fd.close()
            connections[token] = nil
            waiters.removeAll { $0.connection == token }
            followers.removeAll { $0.connection == token }
            events.unsubscribe(token)
        }
        for connection in connections.values {
            if connection.inputClosed && !connection.closeAfterFlush && !owesReplies(connection) {
                connection.finishAfterInput(owesReplies: false)
            }
            if connection.wantsWrite || connection.inputClosed { updateInterest(connection) }
            if connection.isWaitingOnClient && !connection.stallTimerArmed { armStallTimer(connection) }
        }
    }

    /// A client may hold half a request, or leave a reply unread, this long.
    static let stallLimit: Duration = .seconds(10)

    /// Drops the client once it has made no progress for `stallLimit`; the deadline is
    /// forgotten as soon as the client owes nothing.
    private func armStallTimer(_ connection: ControlConnection) {
        connection.stallTimerArmed = true
        let token = connection.token
        loop.schedule(at: connection.lastProgress + Self.stallLimit, isCurrent: { [unowned self] _ in
            guard let connection = self.connections[token] else { return false }
            if !connection.isWaitingOnClient { connection.stallTimerArmed = false }
            return connection.isWaitingOnClient
        }) { [unowned self] now in
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

    func reply(_ connection: ControlConnection, _ id: Int, _ result: Result<JSON, WireError>) {
        switch result {
        case .success(let value): connection.send(.success(id: id, result: value))
        case .failure(let error): connection.send(.failure(id: id, error))
        }
    }
}

/// A reply held back until its processes reach a settled state.
struct Waiter {
    enum Condition {
        /// Not running: stopped, errored, or gone.
        case halted
        /// Gone from the table.
        case removed
        /// Out of the transitional states (launching, stopping, and a restart in progress).
        case settled
    }

    var connection: UInt64
    var requestID: Int
    var ids: [Int]
    var condition: Condition
    /// Exit the daemon once this reply is sent (for `kill`).
    var thenShutdown = false
    /// Snapshots taken when the request arrived, for processes the reply may no longer find.
    var before: [Int: JSON] = [:]
    /// For a batch: each app's processes or its error, reported app by app.
    var apps: [AppOutcome]? = nil

    struct AppOutcome {
        var name: String
        var ids: [Int]
        var error: WireError?
        /// The command line of the definition this start replaced.
        var replaced: String?

        init(name: String, ids: [Int], error: WireError? = nil, replaced: String? = nil) {
            self.name = name
            self.ids = ids
            self.error = error
            self.replaced = replaced
        }
    }
}

extension Daemon {
    func settleWaiters() {
        guard !waiters.isEmpty else { return }
        var remaining: [Waiter] = []
        for waiter in waiters {
            guard let connection = connections[waiter.connection] else { continue }
            if waiter.ids.allSatisfy({ isSettled(processes[$0], waiter.condition) }) {
                connection.send(.success(id: waiter.requestID, result: settledResult(waiter)))
                if waiter.thenShutdown {
                    connection.flush()
                    beginShutdown(Shutdown(exitCode: 0, forgetState: true), reason: "kill requested")
                }
            } else {
                remaining.append(waiter)
            }
        }
        waiters = remaining
    }

    /// `{"processes": […]}`, and for a batch also `"apps"`: each app's processes or error.
    private func settledResult(_ waiter: Waiter) -> JSON {
        func snapshots(_ ids: [Int]) -> JSON {
            .array(ids.compactMap { id in processes[id].map(settledSnapshot) ?? deleted(waiter.before[id]) })
        }
        var result: JSONObject = ["processes": snapshots(waiter.ids)]
        if let apps = waiter.apps {
            result["apps"] = .array(apps.map { outcome in
                var entry: JSONObject = ["name": .string(outcome.name)]
                if let error = outcome.error {
                    entry["error"] = .object(["code": .string(error.code.rawValue), "message": .string(error.message)])
                } else {
                    entry["processes"] = snapshots(outcome.ids)
                }
                if let replaced = outcome.replaced { entry["replaced"] = .string(replaced) }
                return .object(entry)
            })
        }
        return .object(result)
    }

    /// A process as a settled reply reports it: an errored one carries its last stderr
    /// lines; one whose start failed (no readiness signal) while procd retries it is marked
    /// `"start_failed": true`, with those lines too.
    private func settledSnapshot(_ process: ManagedProcess) -> JSON {
        let json = snapshot(process, measure: false).json
        let startFailed = process.lifecycle.readinessFailed && process.lifecycle.status != .errored
        guard process.lifecycle.status == .errored || startFailed, case .object(var object) = json else { return json }
        object["stderr_tail"] = .array(process.stderrTail.map { .string($0) })
        if startFailed { object["start_failed"] = .bool(true) }
        return .object(object)
    }

    /// A removed process's last snapshot, marked `"deleted": true`.
    private func deleted(_ json: JSON?) -> JSON? {
        guard case .object(var object)? = json else { return nil }
        object["status"] = .string(ProcessStatus.stopped.rawValue)
        object["pid"] = .null
        object["deleted"] = .bool(true)
        return .object(object)
    }

    private func isSettled(_ process: ManagedProcess?, _ condition: Waiter.Condition) -> Bool {
        guard let process else { return true }
        switch condition {
        case .removed: return false
        case .halted: return !process.lifecycle.isRunning && process.lifecycle.status != .stopping
        case .settled:
            switch process.lifecycle.status {
            case .online, .stopped, .errored, .waiting: return true
            // A failed start is the answer; the retries procd goes on with are not awaited.
            case .launching, .stopping: return process.lifecycle.readinessFailed
            }
        }
    }
}
