/// The files under `$PROCD_HOME` (default `~/.procd`), named once for daemon and client.
public struct ProcdHome: Equatable, Sendable {
    public var root: String

    public init(root: String) { self.root = root }

    /// `$PROCD_HOME` when set and not empty, else `~/.procd`.
    public static func resolve(environment: String?, home: String) -> ProcdHome {
        if let environment, !environment.isEmpty { return ProcdHome(root: environment) }
        return ProcdHome(root: (home.hasSuffix("/") ? String(home.dropLast()) : home) + "/.procd")
    }

    /// Like `resolve`, for a `~/.procd` that cannot be used (a read-only or missing
    /// $HOME, as in containers): then `$XDG_RUNTIME_DIR/procd`, else `/tmp/procd-UID`, with
    /// a note saying so. `usable` tells whether a directory exists or can be made.
    public static func resolve(environment: String?, home: String, usable: (String) -> Bool,
                               runtimeDirectory: String?, uid: UInt32) -> (home: ProcdHome, note: String?) {
        let chosen = resolve(environment: environment, home: home)
        if let environment, !environment.isEmpty { return (chosen, nil) }
        if usable(chosen.root) { return (chosen, nil) }
        let fallback = runtimeDirectory.flatMap { $0.isEmpty ? nil : $0 + "/procd" } ?? "/tmp/procd-\(uid)"
        return (ProcdHome(root: fallback), "\(chosen.root) cannot be created (HOME is missing or read-only); using \(fallback) (set PROCD_HOME to choose)")
    }

    public var socket: String { root + "/procd.sock" }
    public var pidFile: String { root + "/procd.pid" }
    public var daemonLog: String { root + "/procd.log" }
    public var stateFile: String { root + "/state.json" }
    public var dumpFile: String { root + "/dump.json" }
    /// The dashboard's login token (0600), also the bearer token of the HTTP listener.
    public var webToken: String { root + "/web.token" }
    /// Where `procctl web` last made the HTTP listener listen, for the next start.
    public var webListen: String { root + "/web.listen" }
    public var logs: String { root + "/logs" }

    /// Default log file of an app's stream; `instance` only when logs are not merged.
    public func logFile(app: String, stream: String, instance: Int?) -> String {
        if let instance { return "\(logs)/\(app)-\(stream)-\(instance).log" }
        return "\(logs)/\(app)-\(stream).log"
    }
}
