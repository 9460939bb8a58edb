import ProcdCore
import ProcdPlatform

/// A detached daemon's first word to whoever started it, on the descriptor named by
/// PROCD_READY_FD: "ready <pid>", or "error: …" when it cannot start; then it closes it.
public enum ReadyReport: Equatable, Sendable {
    case ready(pid: Int32)
    case failed(String)

    /// The line the daemon writes.
    public var line: String {
        switch self {
        case .ready(let pid): "ready \(pid)\n"
        case .failed(let message): "error: \(message)\n"
        }
    }

    /// The first line read back; nil when there was none (the daemon died first).
    public init?(_ text: String) {
        guard let line = text.split(separator: "\n").first.map(String.init) else { return nil }
        if line.hasPrefix("ready "), let pid = Int32(line.dropFirst(6)) {
            self = .ready(pid: pid)
        } else if line.hasPrefix("error: ") {
            self = .failed(String(line.dropFirst(7)))
        } else {
            return nil
        }
    }
}

/// Starts a detached daemon and waits, without polling, until it says it is ready.
public enum DaemonLauncher {
    public struct Failure: Error, Sendable {
        public var message: String
    }

    /// `executable --foreground` for `home`, reporting on descriptor 3.
    public static func launch(executable: String, home: ProcdHome) -> Result<Int32, Failure> {
        var env = Environment.all()
        env[EnvironmentName.home] = home.root
        env[EnvironmentName.readyFD] = "3"
        do {
            let (pid, report) = try Spawn.detached(path: executable, argv: [executable, "--foreground"], env: env)
            switch ReadyReport(report) {
            case .ready(let ready)?: return .success(ready)
            case .failed(let message)?: return .failure(Failure(message: message))
            case nil: return .failure(Failure(message: "procd (pid \(pid)) exited before it was ready; see \(home.daemonLog)"))
            }
        } catch {
            return .failure(Failure(message: "unable to start procd (\(executable)): \(error)"))
        }
    }
}
