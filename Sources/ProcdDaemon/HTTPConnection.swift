import ProcdCore
import ProcdPlatform

/// One client of the HTTP listener: request bytes in, one response at a time out, or one
/// endless response (an event stream) once a route has begun one.
final class HTTPConnection {
    enum Phase {
        /// Reading a request; the client must send it by the deadline.
        case reading
        /// A route will answer later (it asked the daemon); no deadline, the answer will come.
        case answering
        /// An event stream: the response never ends; a reader that falls behind is dropped.
        case streaming
    }

    let token: UInt64
    let fd: OwnedFD
    /// The client's IP address, for throttling failed logins.
    let peer: String
    var input: [UInt8] = []
    private var output = OutgoingBytes()
    var phase = Phase.reading
    /// Close once the response is written (the client asked, or the request was bad).
    var closeAfterWrite = false
    var isClosed = false
    /// The client finished sending (a half close); an answer still owed goes out first.
    var inputClosed = false
    /// When the client must have sent a full request, or read the response, by.
    var deadline: Tick
    /// Whether the answer being prepared may keep the connection open.
    var keepAlive = true
    var answersHead = false
    /// Called once when the connection goes, so whoever answers it can let go too.
    var onClose: (() -> Void)?

    init(token: UInt64, fd: OwnedFD, peer: String, deadline: Tick) {
        self.token = token
        self.fd = fd
        self.peer = peer
        self.deadline = deadline
    }

    var wantsWrite: Bool { output.pending > 0 }
    var pending: Int { output.pending }

    func respond(_ response: HTTPResponse) {
        output.append(response.bytes(includeBody: !answersHead, keepAlive: keepAlive))
        if !keepAlive { closeAfterWrite = true }
        phase = .reading
        // The exchange is over: whatever was kept for its answer can go.
        onClose = nil
    }

    /// Sends the head of a response whose body is written as it comes and ends with the
    /// connection.
    func beginStream(_ head: HTTPResponse) {
        var bytes = "HTTP/1.1 \(head.status) \(HTTPResponse.reasonPhrase(head.status))\r\n"
        for (name, value) in head.headers + HTTPResponse.commonHeaders { bytes += "\(name): \(value)\r\n" }
        bytes += "Connection: close\r\n\r\n"
        output.append(Array(bytes.utf8))
        phase = .streaming
        closeAfterWrite = false
    }

    func stream(_ bytes: [UInt8]) {
        guard phase == .streaming, !isClosed else { return }
        output.append(bytes)
    }

    /// Writes what the socket takes now; the rest waits for EPOLLOUT.
    func flush() {
        switch output.write(to: fd) {
        case .drained: if closeAfterWrite { isClosed = true }
        case .blocked: return
        case .failed: isClosed = true
        }
    }
}

/// A response: status, a few headers and a body, always with Content-Length.
struct HTTPResponse {
    var status: Int
    var headers: [(String, String)] = []
    var body: [UInt8] = []

    /// Sent with every response: nothing is cached, sniffed, framed or told where it came from.
    static let commonHeaders = [("Cache-Control", "no-store"), ("X-Content-Type-Options", "nosniff"),
                                ("X-Frame-Options", "DENY"), ("Referrer-Policy", "no-referrer")]

    init(status: Int, contentType: String = "text/plain; charset=utf-8", body: String, headers: [(String, String)] = []) {
        self.init(status: status, contentType: contentType, bytes: Array(body.utf8), headers: headers)
    }

    init(status: Int, contentType: String, bytes: [UInt8], headers: [(String, String)] = []) {
        self.status = status
        self.headers = [("Content-Type", contentType)] + headers
        self.body = bytes
    }

    static func reasonPhrase(_ status: Int) -> String {
        switch status {
        case 200: "OK"
        case 303: "See Other"
        case 400: "Bad Request"
        case 401: "Unauthorized"
        case 403: "Forbidden"
        case 404: "Not Found"
        case 405: "Method Not Allowed"
        case 408: "Request Timeout"
        case 409: "Conflict"
        case 413: "Content Too Large"
        case 415: "Unsupported Media Type"
        case 429: "Too Many Requests"
        case 431: "Request Header Fields Too Large"
        case 500: "Internal Server Error"
        case 503: "Service Unavailable"
        case 505: "HTTP Version Not Supported"
        default: "Error"
        }
    }

    func bytes(includeBody: Bool, keepAlive: Bool) -> [UInt8] {
        var head = "HTTP/1.1 \(status) \(Self.reasonPhrase(status))\r\n"
        for (name, value) in headers + Self.commonHeaders { head += "\(name): \(value)\r\n" }
        head += "Content-Length: \(body.count)\r\n"
        head += keepAlive ? "Connection: keep-alive\r\n\r\n" : "Connection: close\r\n\r\n"
        return Array(head.utf8) + (includeBody ? body : [])
    }
}

/// The handle a route answers through, now or later. Once the client is gone the
/// exchange does nothing, so a late answer is harmless.
final class HTTPExchange {
    let request: HTTPRequest
    private weak var server: HTTPServer?
    private let connection: HTTPConnection

    init(request: HTTPRequest, server: HTTPServer, connection: HTTPConnection) {
        self.request = request
        self.server = server
        self.connection = connection
    }

    var peer: String { connection.peer }
    var isOpen: Bool { !connection.isClosed && server != nil }

    func respond(_ response: HTTPResponse) {
        guard isOpen, connection.phase == .answering else { return }
        connection.respond(response)
        server?.answered(connection)
    }

    /// Starts an event stream; `onClose` runs when the client goes.
    func beginStream(headers: [(String, String)] = [], onClose: @escaping () -> Void) {
        guard isOpen, connection.phase == .answering else { return }
        connection.onClose = onClose
        connection.beginStream(HTTPResponse(status: 200, contentType: "text/event-stream; charset=utf-8", bytes: [], headers: headers))
        server?.wrote(connection)
    }

    func stream(_ bytes: [UInt8]) {
        guard isOpen else { return }
        connection.stream(bytes)
        server?.wrote(connection)
    }

    /// Runs when the client goes before a late answer is ready.
    func onClose(_ action: @escaping () -> Void) {
        connection.onClose = action
    }
}
