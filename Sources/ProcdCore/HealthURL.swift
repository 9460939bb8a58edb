/// A plain-HTTP health check address: `http://HOST[:PORT]/path`.
public struct HealthURL: Equatable, Sendable, CustomStringConvertible {
    public var host: String
    public var port: Int
    public var path: String

    public static func parse(_ text: String) -> HealthURL? {
        guard text.lowercased().hasPrefix("http://") else { return nil }
        let rest = text.dropFirst(7)
        let slash = rest.firstIndex(of: "/") ?? rest.endIndex
        let authority = rest[..<slash]
        let path = slash == rest.endIndex ? "/" : String(rest[slash...])
        var host = String(authority)
        var port = 80
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else { return nil }
            host = String(authority[authority.index(after: authority.startIndex)..<close])
            let after = authority[authority.index(after: close)...]
            if after.hasPrefix(":") {
                guard let p = Int(after.dropFirst()) else { return nil }
                port = p
            }
        } else if let colon = authority.lastIndex(of: ":") {
            host = String(authority[..<colon])
            guard let p = Int(authority[authority.index(after: colon)...]) else { return nil }
            port = p
        }
        // Both go into the request as text: a space or control character (checked by scalar,
        // since "\r\n" is one Character) would split the request line or inject a header.
        let unsafe = { (scalar: Unicode.Scalar) in scalar.value <= 0x20 || scalar.value == 0x7F }
        guard !host.isEmpty, (1...65_535).contains(port), !host.unicodeScalars.contains(where: unsafe),
              !path.unicodeScalars.contains(where: unsafe) else { return nil }
        return HealthURL(host: host, port: port, path: path)
    }

    public var description: String {
        "http://\(host.contains(":") ? "[\(host)]" : host):\(port)\(path)"
    }

    /// The request line and headers to send.
    public var request: String {
        "GET \(path) HTTP/1.0\r\nHost: \(host)\r\nUser-Agent: procd-health\r\nConnection: close\r\n\r\n"
    }

    /// The status code of an HTTP response's first line, when it has arrived.
    public static func status(in response: [UInt8]) -> Int? {
        guard let end = response.firstIndex(of: UInt8(ascii: "\n")) else { return nil }
        let line = String(decoding: response[..<end], as: UTF8.self)
        let parts = line.split(separator: " ")
        guard parts.count >= 2, parts[0].hasPrefix("HTTP/"), let code = Int(parts[1]) else { return -1 }
        return code
    }
}
