/// A host of `procctl --host [USER@]HOST[:PORT]`, reached through ssh.
public struct RemoteHost: Equatable, Sendable, CustomStringConvertible {
    public var user: String?
    public var host: String
    public var port: Int?

    /// `[USER@]HOST[:PORT]`, `[USER@][IPV6]:PORT` or `ssh://[USER@]HOST[:PORT]`; nil when
    /// it names no host.
    public static func parse(_ text: String) -> RemoteHost? {
        var rest = Substring(text.hasPrefix("ssh://") ? String(text.dropFirst(6)) : text)
        var user: String?
        if let at = rest.lastIndex(of: "@") {
            user = String(rest[..<at])
            rest = rest[rest.index(after: at)...]
            if user?.isEmpty == true { return nil }
        }
        var host = String(rest)
        var port: Int?
        if rest.hasPrefix("[") {
            guard let close = rest.firstIndex(of: "]") else { return nil }
            host = String(rest[rest.index(after: rest.startIndex)..<close])
            let tail = rest[rest.index(after: close)...]
            if !tail.isEmpty {
                guard tail.hasPrefix(":"), let p = Int(tail.dropFirst()) else { return nil }
                port = p
            }
        } else if let colon = rest.lastIndex(of: ":"), rest.filter({ $0 == ":" }).count == 1 {
            host = String(rest[..<colon])
            guard let p = Int(rest[rest.index(after: colon)...]) else { return nil }
            port = p
        }
        if let port, !(1...65_535).contains(port) { return nil }
        guard !host.isEmpty, !host.hasPrefix("-"), host.allSatisfy({ !$0.isWhitespace }) else { return nil }
        return RemoteHost(user: user, host: host, port: port)
    }

    /// The hosts of `PROCD_HOST` (comma-separated); nil when one of them is not a host.
    public static func list(_ text: String) -> [RemoteHost]? {
        let parts = text.split(separator: ",").map { String($0.filter { !$0.isWhitespace }) }.filter { !$0.isEmpty }
        let hosts = parts.compactMap(parse)
        return hosts.count == parts.count ? hosts : nil
    }

    /// ssh's arguments for this host: `[-p PORT] [USER@]HOST`.
    public var sshArguments: [String] {
        (port.map { ["-p", String($0)] } ?? []) + [(user.map { $0 + "@" } ?? "") + host]
    }

    public var description: String {
        let name = host.contains(":") ? "[\(host)]" : host
        return (user.map { $0 + "@" } ?? "") + name + (port.map { ":\($0)" } ?? "")
    }
}
