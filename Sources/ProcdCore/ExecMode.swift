/// How an app's instances run (pm2's `exec_mode`).
public enum ExecMode: String, Sendable, CaseIterable {
    /// Each process is on its own: a port it binds is its own.
    case fork
    /// Node apps: every `listen()` gets the one socket the daemon holds for that address,
    /// so all instances share the port with no change to their code.
    case cluster

    /// `fork`, `cluster`, or pm2's `fork_mode` and `cluster_mode`.
    public static func parse(_ text: String) -> ExecMode? {
        switch text {
        case "fork", "fork_mode": .fork
        case "cluster", "cluster_mode": .cluster
        default: nil
        }
    }

    /// What an app runs as: as asked, else cluster for a Node app with more than one
    /// instance (pm2's default for `-i`), else fork. Cluster mode exists only for Node.
    public static func resolve(asked: ExecMode?, isNode: Bool, instances: Int) -> ExecMode {
        guard isNode else { return .fork }
        return asked ?? (instances > 1 ? .cluster : .fork)
    }
}

extension AppSpec {
    /// Whether the program is Node.js: the interpreter, or the program itself, is node.
    public var isNode: Bool {
        let program = (interpreter ?? command.first ?? "").split(separator: "/").last.map(String.init) ?? ""
        return program == "node" || program == "nodejs"
    }

    /// Whether `listen()` calls get the daemon's shared socket.
    public var sharesListeners: Bool { isNode && execMode == .cluster }

    /// The balance in force: the one asked, else round-robin.
    public var effectiveBalance: Balance { balance ?? .standard }
}
