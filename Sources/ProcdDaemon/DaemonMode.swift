/// How the daemon runs: who stands above it, whether it serves HTTP, whether it is
/// leaving. One value whose parts are enums and pairs, so that no mix that cannot happen
/// (a keeper in `procd run`, a dashboard without its listener) can be stored.
struct DaemonMode {
    /// Who stands above the daemon.
    enum Supervision {
        /// Nobody: started without a keeper, or its keeper is gone.
        case alone
        /// Its keeper, which holds what must outlive a crash (see `Keeper`).
        case kept(KeeperLink)
        /// `procd run`: the container's console, and the exit once the apps are done.
        case container(ContainerMode)
    }

    /// Serving, or leaving: the loop ends when nothing runs any more.
    enum Phase {
        case serving
        case leaving(Daemon.Shutdown)
    }

    var supervision: Supervision
    var phase = Phase.serving
    /// The HTTP listener (when `PROCD_HTTP`, `--http` or `procctl web` asks for one) and the
    /// dashboard on it.
    var front: (server: HTTPServer, dashboard: WebDashboard)?
}

/// The parts of the mode as the daemon's code reads them.
extension Daemon {
    var keeper: KeeperLink? {
        if case .kept(let keeper) = mode.supervision { keeper } else { nil }
    }

    var container: ContainerMode? {
        if case .container(let container) = mode.supervision { container } else { nil }
    }

    var shutdown: Shutdown? {
        if case .leaving(let shutdown) = mode.phase { shutdown } else { nil }
    }

    var http: HTTPServer? { mode.front?.server }
    var web: WebDashboard? { mode.front?.dashboard }
}
