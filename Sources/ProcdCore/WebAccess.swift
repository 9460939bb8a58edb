/// Who may use the dashboard: the decisions on a request's token, cookie, Host and Origin.
///
/// Pure: the listener passes in the headers and what it listens on.
public enum WebAccess {
    /// The cookie the login token is exchanged for (`HttpOnly`, `SameSite=Strict`).
    public static let cookieName = "procd_web"
    /// The header a page's POST carries its CSRF token in; a foreign page cannot set it
    /// without a CORS preflight, which the listener never grants.
    public static let csrfHeader = "x-procd-csrf"

    /// The `Set-Cookie` value that logs a browser in.
    public static func loginCookie(_ token: String) -> String {
        "\(cookieName)=\(token); Path=/; HttpOnly; SameSite=Strict"
    }

    /// One parameter of a query string, percent-decoded; nil when absent or malformed.
    public static func queryValue(_ query: String?, _ name: String) -> String? {
        guard let query else { return nil }
        for pair in query.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard parts[0] == name else { continue }
            return percentDecoded(parts.count == 2 ? parts[1] : "")
        }
        return nil
    }

    /// The value of one cookie in a `Cookie` header.
    public static func cookieValue(_ header: String?, _ name: String) -> String? {
        guard let header else { return nil }
        for item in header.split(separator: ";") {
            let pair = item.drop { $0 == " " }
            guard let equals = pair.firstIndex(of: "="), pair[..<equals] == name else { continue }
            return String(pair[pair.index(after: equals)...])
        }
        return nil
    }

    /// Compares in time independent of where the first difference is.
    public static func matches(_ given: String?, _ wanted: String) -> Bool {
        guard let given else { return false }
        let a = Array(given.utf8), b = Array(wanted.utf8)
        guard a.count == b.count, !b.isEmpty else { return false }
        var difference: UInt8 = 0
        for i in 0..<a.count { difference |= a[i] ^ b[i] }
        return difference == 0
    }

    /// Whether a `Host` header names this listener. On loopback only loopback names are
    /// taken, so a page on another site whose name resolves to 127.0.0.1 (DNS rebinding)
    /// is refused; a listener on another address takes the names it is reached by.
    public static func hostAllowed(_ host: String?, listen: ListenAddress, port: Int) -> Bool {
        guard let host, let (name, givenPort) = splitHost(host) else { return false }
        if let givenPort, givenPort != port { return false }
        if isLoopbackName(name) { return true }
        guard let bound = listen.host else { return true }
        if isLoopbackName(bound) { return false }
        return ListenAddress.isNumericHost(bound) ? name == bound.lowercased() || !ListenAddress.isNumericHost(name) : true
    }

    /// Whether a request's `Origin` (when the browser sent one) is the page's own.
    public static func originAllowed(_ origin: String?, host: String?) -> Bool {
        guard let origin else { return true }
        guard let host else { return false }
        return origin.lowercased() == "http://" + host.lowercased()
    }

    public static func isLoopbackName(_ name: String) -> Bool {
        let name = name.lowercased()
        return name == "localhost" || name.hasSuffix(".localhost") || name == "::1" || name.hasPrefix("127.")
            && ListenAddress.isNumericHost(name)
    }

    /// `name[:port]` or `[v6][:port]`, the name lower-cased and unbracketed.
    static func splitHost(_ host: String) -> (String, Int?)? {
        var name = Substring(host)
        var portText: Substring?
        if host.hasPrefix("[") {
            guard let close = host.firstIndex(of: "]") else { return nil }
            name = host[host.index(after: host.startIndex)..<close]
            let rest = host[host.index(after: close)...]
            if !rest.isEmpty {
                guard rest.hasPrefix(":") else { return nil }
                portText = rest.dropFirst()
            }
        } else if let colon = host.firstIndex(of: ":") {
            name = host[..<colon]
            portText = host[host.index(after: colon)...]
        }
        guard !name.isEmpty, name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "-.:%_".contains($0)) }) else { return nil }
        guard let portText else { return (name.lowercased(), nil) }
        guard let port = Int(portText), (1...65_535).contains(port) else { return nil }
        return (name.lowercased(), port)
    }

    static func percentDecoded(_ text: Substring) -> String? {
        var bytes: [UInt8] = []
        var i = text.utf8.startIndex
        let utf8 = text.utf8
        while i < utf8.endIndex {
            let byte = utf8[i]
            if byte == UInt8(ascii: "%") {
                let h = utf8.index(after: i)
                guard h < utf8.endIndex, utf8.index(after: h) < utf8.endIndex,
                      let high = hexValue(utf8[h]), let low = hexValue(utf8[utf8.index(after: h)]) else { return nil }
                bytes.append(high << 4 | low)
                i = utf8.index(i, offsetBy: 3)
            } else {
                bytes.append(byte == UInt8(ascii: "+") ? UInt8(ascii: " ") : byte)
                i = utf8.index(after: i)
            }
        }
        return String(validating: bytes, as: UTF8.self)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
