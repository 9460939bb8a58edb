import ProcdCore
import ProcdPlatform

/// The daemon's small HTTP listener (`PROCD_HTTP`, `procd --http`): `GET /metrics` now,
/// and whatever routes the daemon hands it later.
///
/// It lives on the daemon's epoll loop and never blocks it: sockets are non-blocking, a
/// request head is bounded (`HTTPRequestParser`), so are connections, and a client that
/// sends too slowly or stops reading is dropped at its deadline.
final class HTTPServer {
    /// What a route answers; `nil` for an unknown path.
    typealias Router = (HTTPRequest) -> HTTPResponse?

    static let maxConnections = 64
    /// A client has this long to send a request head, and then to read the response.
    static let timeout: Duration = .seconds(10)

    let address: ListenAddress
    let listenerToken: UInt64
    private let listener: OwnedFD
    private let epoll: Epoll
    private let makeToken: () -> UInt64
    /// When set, every request needs `Authorization: Bearer <token>`.
    private let bearerToken: String?
    private let route: Router
    private var connections: [UInt64: HTTPConnection] = [:]
    private var deadlines = DeadlineQueue<UInt64>()
    var onWarning: (String) -> Void = { _ in }

    init(address: ListenAddress, bearerToken: String?, epoll: Epoll, makeToken: @escaping () -> UInt64, route: @escaping Router) throws(SystemError) {
        self.address = address
        self.bearerToken = bearerToken
        self.epoll = epoll
        self.makeToken = makeToken
        self.route = route
        listener = try Sockets.listenTCP(host: address.host, port: address.port, backlog: 128)
        try listener.setNonBlocking()
        listenerToken = makeToken()
        try epoll.add(listener.raw, events: .readable, token: listenerToken)
    }

    var port: Int? { Sockets.port(of: listener) }
    var clientCount: Int { connections.count }
    /// The next client deadline; those of clients gone or given more time are forgotten
    /// first, so an idle listener never wakes the daemon.
    func nextDeadline() -> Tick? {
        deadlines.dropStale { at, token in connections[token]?.deadline != at }
        return deadlines.next
    }

    func owns(_ token: UInt64) -> Bool { token == listenerToken || connections[token] != nil }

    func handle(_ token: UInt64, events: Epoll.Events, buffer: UnsafeMutableRawBufferPointer) {
        if token == listenerToken {
            accept()
            return
        }
        guard let connection = connections[token] else { return }
        if events.contains(.readable) || events.contains(.hangup) || events.contains(.peerClosed) { read(connection, buffer: buffer) }
        if events.contains(.error) { connection.isClosed = true }
        if connection.wantsWrite { connection.flush() }
        settle(connection)
    }

    /// Drops clients past their deadline; forgets deadlines that were moved since.
    func fireTimers(now: Tick) {
        for token in deadlines.popDue(now) {
            guard let connection = connections[token], now >= connection.deadline else { continue }
            connection.isClosed = true
            settle(connection)
        }
    }

    func close() {
        for connection in connections.values { drop(connection) }
        epoll.remove(listener.raw)
        listener.close()
    }

    private func accept() {
        while true {
            let accepted: OwnedFD?
            do {
                accepted = try UnixSocket.accept(listener)
            } catch {
                onWarning("http: accept failed: \(error)")
                return
            }
            guard let fd = accepted else { return }
            guard connections.count < Self.maxConnections else {
                // Over the bound: say so in one write that cannot block for long, then close.
                let busy = HTTPResponse(status: 503, body: "too many connections\n").bytes(includeBody: true, keepAlive: false)
                _ = try? busy.withUnsafeBytes { (bytes: UnsafeRawBufferPointer) throws(SystemError) in try fd.write(bytes) }
                fd.close()
                continue
            }
            let connection = HTTPConnection(token: makeToken(), fd: fd, deadline: Clock.now() + Self.timeout)
            do {
                try epoll.add(fd.raw, events: [.readable, .peerClosed], token: connection.token)
            } catch {
                fd.close()
                continue
            }
            connections[connection.token] = connection
            deadlines.insert(connection.token, at: connection.deadline)
        }
    }

    private func read(_ connection: HTTPConnection, buffer: UnsafeMutableRawBufferPointer) {
        reading: for _ in 0..<4 {
            switch try? connection.fd.read(into: buffer) {
            case .bytes(let n)?:
                connection.input += UnsafeRawBufferPointer(rebasing: buffer[0..<n])
                // Input beyond one bounded head is refused by the parser; stop reading early.
                if connection.input.count > HTTPRequestParser.maxHeadBytes + 4 { break reading }
            case .wouldBlock?:
                serve(connection)
                return
            case .endOfFile?, nil:
                serve(connection)
                if connection.wantsWrite { connection.closeAfterWrite = true } else { connection.isClosed = true }
                return
            }
        }
        serve(connection)
    }

    /// Answers the request at the head of the input, if it is complete. One at a time: a
    /// pipelined next request waits until this response is written.
    private func serve(_ connection: HTTPConnection) {
        guard !connection.wantsWrite, !connection.closeAfterWrite else { return }
        switch HTTPRequestParser.parse(connection.input) {
        case .needMore:
            return
        case .failure(let failure):
            connection.input.removeAll()
            connection.respond(HTTPResponse(status: failure.status, body: failure.reason + "\n"), head: false, keepAlive: false)
        case .request(let request, let consumed):
            connection.input.removeFirst(consumed)
            let head = request.method == "HEAD"
            connection.respond(answer(request), head: head, keepAlive: request.keepsAlive)
        }
        connection.deadline = Clock.now() + Self.timeout
        deadlines.insert(connection.token, at: connection.deadline)
    }

    private func answer(_ request: HTTPRequest) -> HTTPResponse {
        if let bearerToken, !Self.authorizes(request.header("authorization"), bearerToken) {
            return HTTPResponse(status: 401, body: "a bearer token is required; see procd(8)\n",
                                headers: [("WWW-Authenticate", "Bearer realm=\"procd\"")])
        }
        guard request.method == "GET" || request.method == "HEAD" else {
            return HTTPResponse(status: 405, body: "only GET and HEAD are served\n", headers: [("Allow", "GET, HEAD")])
        }
        return route(request) ?? HTTPResponse(status: 404, body: "no such page: \(request.path)\n")
    }

    /// Compares in time independent of where the first difference is.
    static func authorizes(_ header: String?, _ token: String) -> Bool {
        guard let header, header.hasPrefix("Bearer ") else { return false }
        let given = Array(header.dropFirst(7).utf8)
        let wanted = Array(token.utf8)
        guard given.count == wanted.count else { return false }
        var difference: UInt8 = 0
        for i in 0..<given.count { difference |= given[i] ^ wanted[i] }
        return difference == 0
    }

    /// After a turn: drop a finished client, or watch for what it owes next.
    private func settle(_ connection: HTTPConnection) {
        if !connection.isClosed, !connection.wantsWrite, !connection.input.isEmpty { serve(connection) }
        if connection.wantsWrite { connection.flush() }
        if connection.isClosed {
            drop(connection)
            return
        }
        let events: Epoll.Events = connection.wantsWrite ? [.writable, .peerClosed] : [.readable, .peerClosed]
        try? epoll.modify(connection.fd.raw, events: events, token: connection.token)
    }

    private func drop(_ connection: HTTPConnection) {
        guard connections.removeValue(forKey: connection.token) != nil else { return }
        epoll.remove(connection.fd.raw)
        connection.fd.close()
    }
}
