/// The command names the daemon serves; the client sends exactly these.
public enum WireCommand: String, Sendable, CaseIterable {
    case ping, version, kill
    case start, stop, restart, reload, delete, reset
    case list, describe, signal, env
    case logPaths = "log_paths"
    case logs, flush, scale, send
    case save, resurrect, update
    case reloadLogs = "reload_logs"
    case events, metrics, web
}

/// procd's version, written only here: the client and daemon report it (`ping`,
/// `--version`) and `procd-package` names the packages after it.
public enum ProcdVersion {
    public static let current = "0.1.0"

    /// What `--version` prints: `procd 0.1.0 (commit 1a2b3c4)`, or "unknown commit" for a
    /// build that was not stamped by the package tool.
    public static func line(_ program: String, commit: String?) -> String {
        "\(program) \(current) (\(commit.map { "commit " + $0 } ?? "unknown commit"))\n"
    }
}
