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

/// The protocol's version; the client and daemon report it in `ping`.
public enum ProcdVersion {
    public static let current = "0.1.0"
}
