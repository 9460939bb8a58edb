import ProcdCore
import ProcdPlatform

/// One client of the HTTP listener: request bytes in, one response at a time out.
final class HTTPConnection {
    let token: UInt64
    let fd: OwnedFD
    var input: [UInt8] = []
    private var output = OutgoingBytes()
    /// Close once the response is written (the client asked, or the request was bad).
    var closeAfterWrite = false
    var isClosed = false
    /// When the client must have sent a full request head, or read the response, by.
    var deadline: Tick

    init(token: UInt64, fd: OwnedFD, deadline: Tick) {
        self.token = token
        self.fd = fd
        self.deadline = deadline
    }

    var wantsWrite: Bool { output.pending > 0 }

    func respond(_ response: HTTPResponse, head: Bool, keepAlive: Bool) {
        output.append(response.bytes(includeBody: !head, keepAlive: keepAlive))
        if !keepAlive { closeAfterWrite = true }
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

    init(status: Int, contentType: String = "text/plain; charset=utf-8", body: String, headers: [(String, String)] = []) {
        self.status = status
        self.headers = [("Content-Type", contentType)] + headers
        self.body = Array(body.utf8)
    }

    static func reasonPhrase(_ status: Int) -> String {
        switch status {
        case 200: "OK"
        case 400: "Bad Request"
        case 401: "Unauthorized"
        case 404: "Not Found"
        case 405: "Method Not Allowed"
        case 408: "Request Timeout"
        case 413: "Content Too Large"
        case 431: "Request Header Fields Too Large"
        case 503: "Service Unavailable"
        case 505: "HTTP Version Not Supported"
        default: "Error"
        }
    }

    func bytes(includeBody: Bool, keepAlive: Bool) -> [UInt8] {
        var head = "HTTP/1.1 \(status) \(Self.reasonPhrase(status))\r\n"
        for (name, value) in headers { head += "\(name): \(value)\r\n" }
        head += "Content-Length: \(body.count)\r\n"
        head += "Cache-Control: no-store\r\n"
        head += keepAlive ? "Connection: keep-alive\r\n\r\n" : "Connection: close\r\n\r\n"
        return Array(head.utf8) + (includeBody ? body : [])
    }
}
