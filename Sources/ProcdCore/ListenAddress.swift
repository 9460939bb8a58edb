/// A daemon-held listening address: `PORT`, `HOST:PORT` or `[IPV6]:PORT`.
public struct ListenAddress: Equatable, Hashable, Sendable, CustomStringConvertible {
    /// nil listens on every address.
    public var host: String?
    public var port: Int

    public init(host: String?, port: Int) {
        self.host = host
        self.port = port
    }

    public static func parse(_ text: String) -> ListenAddress? {
        var host: String?
        var portText = Substring(text)
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]") else { return nil }
            host = String(text[text.index(after: text.startIndex)..<close])
            let rest = text[text.index(after: close)...]
            guard rest.hasPrefix(":") else { return nil }
            portText = rest.dropFirst()
        } else if let colon = text.lastIndex(of: ":") {
            host = String(text[..<colon])
            portText = text[text.index(after: colon)...]
        }
        guard let port = Int(portText), (1...65_535).contains(port) else { return nil }
        if host?.isEmpty == true || host == "*" { host = nil }
        return ListenAddress(host: host, port: port)
    }

    public var description: String {
        guard let host else { return String(port) }
        return host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
    }

    /// An IPv4 dotted quad or an IPv6 address (hex digits, colons, dots, an optional
    /// %zone), which binds with no name lookup.
    public static func isNumericHost(_ host: String) -> Bool {
        let parts = host.split(separator: ".", omittingEmptySubsequences: false)
        if parts.count == 4, parts.allSatisfy({ !$0.isEmpty && $0.count <= 3 && $0.allSatisfy(\.isNumber) && (Int($0) ?? 256) <= 255 }) {
            return true
        }
        let address = host.split(separator: "%", maxSplits: 1).first.map(String.init) ?? host
        return address.contains(":") && address.allSatisfy { $0.isHexDigit || $0 == ":" || $0 == "." }
    }
}
