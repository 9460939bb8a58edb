import ProcdCore

/// Daemon-wide defaults that apps may override.
public struct DaemonSettings: Sendable {
    /// Default rotation size for app logs in bytes; 0 leaves files unbounded (as pm2 does).
    public var logMaxSize: Int64 = 0
    /// Default number of rotated files kept beside the live one.
    public var logRetain = 5
    /// Where the HTTP listener (`GET /metrics`) listens, if anywhere.
    public var http: ListenAddress?
    /// Whether app output goes to log files (`procd run --no-log-files` turns them off).
    public var writesLogFiles = true

    public init() {}
}
