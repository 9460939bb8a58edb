import ProcdCore
import ProcdPlatform

/// procd ended a stream (`events`, `logs -f`) before its result: it stopped, restarted
/// (a crash the keeper recovered from, `procctl update`), or dropped a slow reader.
struct StreamEnded: Error {
    var message: String
}

/// Keeps a following command going across a daemon restart: when the stream ends, it
/// says so on stderr, connects again within `bound` (never starting a daemon itself),
/// and runs the stream again; a daemon that does not come back is an error. A stream
/// that ended because procd shut down on purpose (`procctl kill`) is not resumed.
struct Reconnector {
    let console: Console
    /// A client of the running daemon, or nil while none answers.
    let connect: () throws(CommandFailure) -> DaemonClient?
    var bound: Duration = .seconds(10)
    var pause: Duration = .milliseconds(100)

    /// Runs `stream` (false the first time, true after a reconnection) until it returns.
    /// `stream` returns the exit code, or throws `StreamEnded`; `shutDown` says whether
    /// the daemon announced it was shutting down before the end.
    func run(first: DaemonClient, shutDown: () -> Bool, _ stream: (DaemonClient, _ resumed: Bool) throws -> Int32) throws -> Int32 {
        var client = first
        var resumed = false
        while true {
            do {
                return try stream(client, resumed)
            } catch let ended as StreamEnded {
                if shutDown() { throw CommandFailure("procd shut down; \(ended.message)") }
                console.err("procctl: warning: the connection to procd ended (\(ended.message)); reconnecting for up to \(bound.seconds) s\n")
                guard let next = try reconnect() else {
                    throw CommandFailure("procd did not answer again within \(bound.seconds) s; run the command again once it runs")
                }
                console.err("procctl: reconnected to procd; what happened while it was away is not shown\n")
                client = next
                resumed = true
            }
        }
    }

    private func reconnect() throws -> DaemonClient? {
        let deadline = ContinuousClock.now + bound
        while ContinuousClock.now < deadline {
            if let client = try? connect() { return client }
            Clock.sleep(pause)
        }
        return nil
    }
}

extension Duration {
    /// Whole seconds, for messages.
    fileprivate var seconds: Int64 { components.seconds }
}
