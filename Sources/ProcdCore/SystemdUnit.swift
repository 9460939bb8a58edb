/// The systemd unit that starts procd at boot (`procctl startup`).
public struct SystemdUnit: Equatable, Sendable {
    public var daemonPath: String
    public var clientPath: String
    public var home: String
    public var path: String
    /// The account a system unit runs as; nil for a user unit (`--user`).
    public var user: String?

    public init(daemonPath: String, clientPath: String, home: String, path: String, user: String?) {
        self.daemonPath = daemonPath
        self.clientPath = clientPath
        self.home = home
        self.path = path
        self.user = user
    }

    public var isUserUnit: Bool { user == nil }

    /// `procd.service` for root, `procd-NAME.service` for another account; user units are
    /// always `procd.service`.
    public var fileName: String {
        guard let user, user != "root" else { return "procd.service" }
        return "procd-\(user).service"
    }

    /// systemd's quoting for a value in `Environment=` and `Exec*=` lines.
    static func quote(_ text: String) -> String {
        let needs = text.contains { $0 == " " || $0 == "\"" || $0 == "\\" || $0 == "$" || $0 == "%" || $0 == "'" }
        guard needs else { return text }
        return "\"" + Format.escape(text, ["\"": "\\\"", "\\": "\\\\", "$": "$$", "%": "%%"]) + "\""
    }

    public func render() -> String {
        var lines = [
            "[Unit]",
            "Description=procd process manager (\(home))",
            "After=network.target",
            "",
            "[Service]",
            "Type=simple",
        ]
        if let user { lines.append("User=\(user)") }
        lines += [
            "Environment=\(Self.quote("PROCD_HOME=\(home)"))",
            "Environment=\(Self.quote("PATH=\(path)"))",
            // The table of state.json comes back on its own; with none, dump.json is used.
            "ExecStart=\(Self.quote(daemonPath)) --foreground --resurrect",
            "ExecReload=\(Self.quote(clientPath)) reload-logs",
            // procd stops its apps itself on SIGTERM; systemd only cleans up what remains.
            "KillMode=mixed",
            "TimeoutStopSec=60",
            // Two pipe ends and more per app, in the daemon and again in the keeper; procd
            // raises its soft limit to this hard one (systemd lowers a value it may not
            // grant to the highest it may, as for a user manager).
            "LimitNOFILE=1048576",
            "Restart=on-failure",
            "",
            "[Install]",
            "WantedBy=\(isUserUnit ? "default.target" : "multi-user.target")",
        ]
        return lines.joined(separator: "\n") + "\n"
    }
}
