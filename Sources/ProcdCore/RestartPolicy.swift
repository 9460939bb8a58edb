/// How a process is restarted and stopped: the pm2 attributes with pm2's defaults.
public struct RestartPolicy: Equatable, Sendable {
    public var autorestart = true
    /// Unstable restarts in a row before giving up (the process runs `maxRestarts + 1` times).
    public var maxRestarts = 16
    /// An exit sooner than this after the start is unstable.
    public var minUptime: Duration = .milliseconds(1000)
    public var restartDelay: Duration = .zero
    /// First delay of the exponential backoff; nil when backoff is off.
    public var expBackoffRestartDelay: Duration? = nil
    /// Exit codes that mean "done": the process goes to stopped instead of restarting.
    public var stopExitCodes: [Int32] = []
    public var killSignal: Int32 = Signals.term
    public var killTimeout: Duration = .milliseconds(1600)
    public var waitReady = false
    public var listenTimeout: Duration = .milliseconds(3000)
    /// The app listens on daemon-held ports: without a readiness signal, a process is
    /// online once `listenTimeout` has passed (with `waitReady` that is a failed start).
    public var awaitsListen = false
    /// Readiness is a cluster-mode `listen()` given its socket: one that never asks serves
    /// nothing, and says so when listen_timeout makes it online.
    public var clusterListen = false
    /// A readiness probe decides when the process is online: other readiness signals
    /// (READY=1, `process.send('ready')`, a cluster `listen()`) are noted, not obeyed.
    public var awaitsProbe = false

    public init() {}

    /// Backoff growth per crash, its ceiling, and the uptime after which it starts over.
    public static let backoffFactor = 1.5
    public static let backoffCeiling: Duration = .seconds(15)
    public static let backoffResetUptime: Duration = .seconds(30)

    /// The delay before the next automatic restart.
    ///
    /// - Parameter previous: the backoff delay used for the last crash, nil after a reset.
    /// - Returns: the delay to wait, and the backoff delay to remember (nil without backoff).
    public func nextDelay(previous: Duration?) -> (delay: Duration, backoff: Duration?) {
        guard let base = expBackoffRestartDelay else { return (restartDelay, nil) }
        guard let previous else { return (min(base, Self.backoffCeiling), base) }
        let next = min(previous.scaled(by: Self.backoffFactor), Self.backoffCeiling)
        return (next, next)
    }
}
