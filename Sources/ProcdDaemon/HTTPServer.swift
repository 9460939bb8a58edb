import ProcdCore
import ProcdPlatform

/// The daemon's small HTTP listener (`PROCD_HTTP`, `procd --http`, `procctl web`): it
/// reads requests and hands each to the daemon's router, which answers at once, later,
/// or with an event stream.
///
/// It lives on the daemon's epoll loop and never blocks it: sockets are non-blocking, a
/// request is bounded (`HTTPRequestParser`, a 16 KiB body at most), so are connections,
/// a client that sends too slowly is dropped at its deadline, and one that stops reading
/// a response or a stream is dropped once it is `backlog` bytes behind.
final class HTTPServer {
    /// Answers a request through its exchange, now or later.
    typealias Router = (HTTPExchange) -> Void

    static let maxConnections = 64
    static let maxBodyBytes = 16 << 10
    static let backlog = 1 << 20
    /// A client has this long to send a request, and then to read the response.
    static let timeout: Duration = .seconds(10)

    let address: ListenAddress
    private let listener: OwnedFD
    private var acceptor: Acceptor?
    private let loop: EventLoop
    private let route: Router
    private var connections: [UInt64: HTTPConnection] = [:]
    var onWarning: (String) -> Void = { _ in }

    init(address: ListenAddress, loop: EventLoop, route: @escaping Router) throws(SystemError) {
        self.address = address
        self.loop = loop
        self.route = route
        listener = try Sockets.listenTCP(host: address.host, port: address.port, backlog: 128)
        try listener.setNonBlocking()
        acceptor = try Acceptor(listener: listener, loop: loop, name: "http", log: { [weak self] in self?.onWarning($0) }) { [weak self] fd in
            self?.accept(fd)
        }
    }
    var port: Int? { Sockets.port(of: listener) }
    var clientCount: Int { connections.count }

    private func handle(_ connection: HTTPConnection, events: Epoll.Events) {
        guard connections[connection.token] === connection else { return }
        if events.contains(.readable) || events.contains(.hangup) || events.contains(.peerClosed) { read(connection, buffer: loop.scratch) }
        // Gone both ways (not just done sending): nobody is left to read an answer.
        if events.contains(.error) || events.contains(.hangup) { connection.isClosed = true }
        if connection.wantsWrite { connection.flush() }
        settle(connection)
    }

    /// Drops the client at its deadline, unless it has moved on (answered, given more
    /// time) or gone; such a deadline is forgotten, so an idle listener never wakes the loop.
    private func armDeadline(_ connection: HTTPConnection) {
        let token = connection.token
        loop.schedule(at: connection.deadline, isCurrent: { [weak self] at in
            guard let self else { return false }
            return self.connections[token].map { $0.phase == .reading && $0.deadline == at } ?? false
        }) { [weak self] now in
            guard let self else { return }
            guard let connection = self.connections[token], connection.phase == .reading, now >= connection.deadline else { return }
            connection.isClosed = true
            self.settle(connection)
        }
    }

    func close() {
        for connection in connections.values { drop(connection) }
        acceptor?.close()
        listener.close()
    }

    private func accept(_ fd: OwnedFD) {
        guard connections.count < Self.maxConnections else {
            // Over the bound: say so in one write that cannot block for long, then close.
            let busy = HTTPResponse(status: 503, body: "too many connections\n", headers: [("Retry-After", "5")]).bytes(includeBody: true, keepAlive: false)
            _ = try? busy.withUnsafeBytes { (bytes: UnsafeRawBufferPointer) throws(SystemError) in try fd.write(bytes) }
            fd.close()
            return
        }
        let connection = HTTPConnection(token: loop.makeToken(), fd: fd, peer: Sockets.peerAddress(of: fd) ?? "?", deadline: Clock.now() + Self.timeout)
        do {
            try loop.watch(fd.raw, [.readable, .peerClosed], token: connection.token) { [weak self, connection] events in
                guard let self else { return }
                self.handle(connection, events: events)
            }
        } catch {
            fd.close()
            return
        }
        connections[connection.token] = connection
        armDeadline(connection)
    }

    private func read(_ connection: HTTPConnection, buffer: UnsafeMutableRawBufferPointer) {
        reading: for _ in 0..<4 {
            switch try? connection.fd.read(into: buffer) {
            case .bytes(let n)?:
                connection.input += UnsafeRawBufferPointer(rebasing: buffer[0..<n])
                // Input beyond one bounded request is refused by the parser; stop reading early.
                if connection.input.count > HTTPRequestParser.maxHeadBytes + 4 + Self.maxBodyBytes { break reading }
            case .wouldBlock?:
                serve(connection)
                return
            case .endOfFile?, nil:
                connection.inputClosed = true
                serve(connection)
                if connection.phase != .reading {
                    // An answer or a stream is on its way: it ends the connection.
                    connection.keepAlive = false
                } else if connection.wantsWrite {
                    connection.closeAfterWrite = true
                } else {
                    connection.isClosed = true
                }
                return
            }
        }
        serve(connection)
    }

    /// Answers the request at the head of the input, if it is complete. One at a time: a
    /// pipelined next request waits until this response is written.
    private func serve(_ connection: HTTPConnection) {
        guard connection.phase == .reading, !connection.wantsWrite, !connection.closeAfterWrite else { return }
        switch HTTPRequestParser.parse(connection.input, maxBodyBytes: Self.maxBodyBytes) {
        case .needMore:
            return
        case .failure(let failure):
            connection.input.removeAll()
            connection.keepAlive = false
            connection.answersHead = false
            connection.respond(HTTPResponse(status: failure.status, body: failure.reason + "\n"))
        case .request(let request, let consumed):
            connection.input.removeFirst(consumed)
            connection.keepAlive = request.keepsAlive
            connection.answersHead = request.method == "HEAD"
            connection.phase = .answering
            route(HTTPExchange(request: request, server: self, connection: connection))
        }
        connection.deadline = Clock.now() + Self.timeout
        armDeadline(connection)
    }

    /// A late answer was queued: write it, and read the next request.
    func answered(_ connection: HTTPConnection) {
        connection.deadline = Clock.now() + Self.timeout
        armDeadline(connection)
        wrote(connection)
    }

    /// Bytes were queued outside a read: write them now, drop a reader too far behind.
    func wrote(_ connection: HTTPConnection) {
        guard connections[connection.token] === connection else { return }
        if connection.pending > Self.backlog {
            onWarning("http: dropped a client that fell more than \(Self.backlog >> 10) KiB behind")
            connection.isClosed = true
        }
        settle(connection)
    }

    /// After a turn: drop a finished client, or watch for what it owes next.
    private func settle(_ connection: HTTPConnection) {
        if !connection.isClosed, connection.phase == .reading, !connection.wantsWrite, !connection.input.isEmpty { serve(connection) }
        if connection.wantsWrite { connection.flush() }
        if connection.isClosed {
            drop(connection)
            return
        }
        // While an answer is prepared or a stream runs, only the client's leaving matters.
        let hangUp: Epoll.Events = connection.inputClosed ? [] : [.peerClosed]
        let events: Epoll.Events = connection.wantsWrite ? hangUp.union(.writable)
            : connection.phase == .reading && !connection.inputClosed ? [.readable, .peerClosed] : hangUp
        loop.change(connection.fd.raw, events, token: connection.token)
    }

    private func drop(_ connection: HTTPConnection) {
        guard connections.removeValue(forKey: connection.token) != nil else { return }
        connection.isClosed = true
        loop.unwatch(connection.fd.raw, token: connection.token)
        connection.fd.close()
        let onClose = connection.onClose
        connection.onClose = nil
        onClose?()
        acceptor?.resume()
    }
}
