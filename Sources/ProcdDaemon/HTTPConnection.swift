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
