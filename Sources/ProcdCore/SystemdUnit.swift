/// The systemd unit that starts procd at boot (`procctl startup`, and the units the
/// packages ship).
public struct SystemdUnit: Equatable, Sendable {
    public var daemonPath: String
    public var clientPath: String
    /// PROCD_HOME; nil leaves procd's default, ~/.procd of the account it runs as.
    public var home: String?
    /// PATH; nil leaves systemd's.
    public var path: String?
    /// The account a system unit runs as; nil for a user unit (`--user`), `%i` for the
    /// packages' template (`procd@ana.service` runs as ana).
    public var user: String?

    /// `Documentation=` pages: only the packages' units name them, since they install
    /// them; systemd-analyze verify fails on a page `man` cannot find.
    public var documentation: [String] = []

    /// The instance specifier: a unit with this account is a template, one daemon a user.
    public static let instanceUser = "%i"

    public init(daemonPath: String, clientPath: String, home: String?, path: String?, user: String?) {
        self.daemonPath = daemonPath
        self.clientPath = clientPath
        self.home = home
        self.path = path
        self.user = user
    }

    /// The units a package installs in `directory` (its `bin`): a user unit and a system
    /// template, neither bound to a home or a PATH.
    public static func packaged(binaries directory: String) -> [SystemdUnit] {
        [nil, instanceUser].map {
            var unit = SystemdUnit(daemonPath: directory + "/procd", clientPath: directory + "/procctl", home: nil, path: nil, user: $0)
            unit.documentation = ["man:procd(8)", "man:procctl(1)"]
            return unit
        }
    }

    public var isUserUnit: Bool { user == nil }

    /// `procd.service` for root, `procd-NAME.service` for another account, `procd@.service`
    /// for the template; user units are always `procd.service`.
    public var fileName: String {
        guard let user, user != "root" else { return "procd.service" }
        return user == Self.instanceUser ? "procd@.service" : "procd-\(user).service"
    }

    private var summary: String {
        if let home { return "procd process manager (\(home))" }
        return user == Self.instanceUser ? "procd process manager for %i" : "procd process manager"
    }

    /// systemd's quoting for a value in `Environment=` and `Exec*=` lines.
    static func quote(_ text: String) -> String {
        let needs = text.contains { $0 == " " || $0 == "\"" || $0 == "\\" || $0 == "$" || $0 == "%" || $0 == "'" }
        guard needs else { return text }
        return "\"" + Format.escape(text, ["\"": "\\\"", "\\": "\\\\", "$": "$$", "%": "%%"]) + "\""
    }

    public func render() -> String {
        var lines = ["[Unit]", "Description=\(summary)"]
        if !documentation.isEmpty { lines.append("Documentation=" + documentation.joined(separator: " ")) }
        lines += [
            "After=network.target",
            "",
            "[Service]",
            "Type=simple",
        ]
        if let user { lines.append("User=\(user)") }
        if let home { lines.append("Environment=\(Self.quote("PROCD_HOME=\(home)"))") }
        if let path { lines.append("Environment=\(Self.quote("PATH=\(path)"))") }
        lines += [
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
