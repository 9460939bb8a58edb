/// The environment variables procd reads or sets, each spelled once.
public enum EnvironmentName {
    // Read by procd and procctl.
    public static let home = "PROCD_HOME"
    public static let host = "PROCD_HOST"
    public static let ssh = "PROCD_SSH"
    public static let remoteProcctl = "PROCD_REMOTE_PROCCTL"
    public static let noKeeper = "PROCD_NO_KEEPER"
    public static let http = "PROCD_HTTP"
    public static let logMaxSize = "PROCD_LOG_MAX_SIZE"
    public static let logRetain = "PROCD_LOG_RETAIN"

    // Between procd's own processes: the descriptor a detached daemon reports on, the
    // keeper's link, and whether the keeper holds nothing for the daemon it starts.
    public static let readyFD = "PROCD_READY_FD"
    public static let keeperFD = "PROCD_KEEPER_FD"
    public static let keeperEmpty = "PROCD_KEEPER_EMPTY"

    // Given to every app's processes.
    public static let appName = "PROCD_APP_NAME"
    public static let id = "PROCD_ID"
    public static let instance = "PROCD_INSTANCE"
    public static let nodeAppInstance = "NODE_APP_INSTANCE"
    public static let notifySocket = "NOTIFY_SOCKET"
    /// A Node app in cluster mode (the preload takes over listen()).
    public static let cluster = "PROCD_CLUSTER"
    /// The process a stop_command stops.
    public static let pid = "PROCD_PID"

    /// What procd sets for an app's processes starts with this.
    public static let prefix = "PROCD_"
}
