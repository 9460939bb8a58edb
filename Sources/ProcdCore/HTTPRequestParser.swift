/// An HTTP/1.x request head, as `HTTPRequestParser` read it.
public struct HTTPRequest: Equatable, Sendable {
    public var method: String
    /// The request target without its query string.
    public var path: String
    public var query: String?
    public var version: String
    /// Header names lower-cased, in arrival order.
    public var headers: [(name: String, value: String)]
    /// The body, when the parser was allowed one (`maxBodyBytes`).
    public var body: [UInt8] = []

    public func header(_ name: String) -> String? {
        let wanted = name.lowercased()
        return headers.first { $0.name == wanted }?.value
    }

    /// Whether the client asked to keep the connection after this request.
    public var keepsAlive: Bool {
        let connection = header("connection")?.lowercased()
        return version == "HTTP/1.1" ? connection != "close" : connection == "keep-alive"
    }

    public static func == (lhs: HTTPRequest, rhs: HTTPRequest) -> Bool {
        lhs.method == rhs.method && lhs.path == rhs.path && lhs.query == rhs.query && lhs.version == rhs.version
            && lhs.headers.map(\.name) == rhs.headers.map(\.name) && lhs.headers.map(\.value) == rhs.headers.map(\.value)
            && lhs.body == rhs.body
    }
}

/// Reads HTTP/1.0 and 1.1 request heads from bytes as they arrive, within fixed bounds.
///
/// Pure: no I/O, no clock. A body is read only when the caller allows one, and only up to
/// `maxBodyBytes` with a Content-Length (no chunked bodies), so a client cannot make the
/// daemon buffer more than that.
public struct HTTPRequestParser: Sendable {
    /// Why a request was refused, with the status to answer.
    public struct Failure: Error, Equatable, Sendable {
        public var status: Int
        public var reason: String
    }

    public enum Outcome: Equatable, Sendable {
        case needMore
        /// A request head; `consumed` bytes of the buffer belonged to it.
        case request(HTTPRequest, consumed: Int)
        case failure(Failure)
    }

    public static let maxHeadBytes = 8192
    public static let maxHeaders = 32

    /// Looks for one complete request at the start of `buffer`: its head, and its body when
    /// `maxBodyBytes` allows one.
    public static func parse(_ buffer: [UInt8], maxBodyBytes: Int = 0) -> Outcome {
        guard let end = headEnd(buffer) else {
            return buffer.count > maxHeadBytes ? .failure(Failure(status: 431, reason: "request head over \(maxHeadBytes) bytes")) : .needMore
        }
        guard end <= maxHeadBytes else { return .failure(Failure(status: 431, reason: "request head over \(maxHeadBytes) bytes")) }
        var lines = split(buffer[..<end])
        guard !lines.isEmpty else { return .failure(Failure(status: 400, reason: "empty request")) }
        let requestLine = lines.removeFirst()
        let parts = requestLine.split(separator: " ", omittingEmptySubsequences: false)
        guard parts.count == 3, !parts[0].isEmpty, parts[0].allSatisfy(isTokenCharacter),
              parts[1].first == "/", parts[1].allSatisfy({ $0 > " " && $0 < "\u{7f}" }) else {
            return .failure(Failure(status: 400, reason: "malformed request line"))
        }
        guard parts[2] == "HTTP/1.1" || parts[2] == "HTTP/1.0" else {
            return .failure(Failure(status: 505, reason: "only HTTP/1.0 and HTTP/1.1 are served"))
        }
        guard lines.count <= maxHeaders else { return .failure(Failure(status: 431, reason: "more than \(maxHeaders) headers")) }
        var headers: [(name: String, value: String)] = []
        for line in lines {
            guard let colon = line.firstIndex(of: ":"), colon > line.startIndex,
                  line[..<colon].allSatisfy(isTokenCharacter) else {
                return .failure(Failure(status: 400, reason: "malformed header line"))
            }
            let value = line[line.index(after: colon)...].trimmingSpaces()
            headers.append((line[..<colon].lowercased(), value))
        }
        var request = HTTPRequest(method: String(parts[0]), path: String(parts[1].prefix { $0 != "?" }),
                                  query: parts[1].firstIndex(of: "?").map { String(parts[1][parts[1].index(after: $0)...]) },
                                  version: String(parts[2]), headers: headers)
        if request.version == "HTTP/1.1", request.header("host") == nil {
            return .failure(Failure(status: 400, reason: "HTTP/1.1 request without Host"))
        }
        let length: Int
        switch (request.header("transfer-encoding"), request.header("content-length")) {
        case (nil, nil):
            length = 0
        case (nil, let text?):
            guard !text.isEmpty, text.count <= 12, text.allSatisfy({ $0.isASCII && $0.isNumber }), let value = Int(text) else {
                return .failure(Failure(status: 400, reason: "malformed Content-Length"))
            }
            length = value
        default:
            return .failure(Failure(status: 413, reason: maxBodyBytes == 0 ? "request bodies are not accepted" : "chunked request bodies are not accepted"))
        }
        guard length <= maxBodyBytes else {
            return .failure(Failure(status: 413, reason: maxBodyBytes == 0 ? "request bodies are not accepted" : "request body over \(maxBodyBytes) bytes"))
        }
        let bodyStart = end + 4
        guard buffer.count >= bodyStart + length else { return .needMore }
        request.body = Array(buffer[bodyStart..<(bodyStart + length)])
        return .request(request, consumed: bodyStart + length)
    }

    /// The index of the blank line's CR LF CR LF, if the head is complete.
    private static func headEnd(_ buffer: [UInt8]) -> Int? {
        guard buffer.count >= 4 else { return nil }
        for i in 0...(buffer.count - 4) where buffer[i] == 13 && buffer[i + 1] == 10 && buffer[i + 2] == 13 && buffer[i + 3] == 10 {
            return i
        }
        return nil
    }

    private static func split(_ head: ArraySlice<UInt8>) -> [Substring] {
        let text = String(decoding: head, as: UTF8.self)
        return text.split(separator: "\r\n", omittingEmptySubsequences: false).map { Substring($0) }
    }

    private static func isTokenCharacter(_ c: Character) -> Bool {
        guard let ascii = c.asciiValue, ascii > 32, ascii < 127 else { return false }
        return !"()<>@,;:\\\"/[]?={}".contains(c)
    }
}

extension Substring {
    fileprivate func trimmingSpaces() -> String {
        String(drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed())
    }
}
