/// The files under `$PROCD_HOME` (default `~/.procd`), named once for daemon and client.
public struct ProcdHome: Equatable, Sendable {
    public var root: String

    public init(root: String) { self.root = root }

    /// `$PROCD_HOME` when set and not empty, else `~/.procd`.
    public static func resolve(environment: String?, home: String) -> ProcdHome {
        if let environment, !environment.isEmpty { return ProcdHome(root: environment) }
        return ProcdHome(root: (home.hasSuffix("/") ? String(home.dropLast()) : home) + "/.procd")
    }

    public var socket: String { root + "/procd.sock" }
    public var pidFile: String { root + "/procd.pid" }
    public var daemonLog: String { root + "/procd.log" }
    public var stateFile: String { root + "/state.json" }
    public var dumpFile: String { root + "/dump.json" }
    public var logs: String { root + "/logs" }

    /// Default log file of an app's stream; `instance` only when logs are not merged.
    public func logFile(app: String, stream: String, instance: Int?) -> String {
        if let instance { return "\(logs)/\(app)-\(stream)-\(instance).log" }
        return "\(logs)/\(app)-\(stream).log"
    }
}
