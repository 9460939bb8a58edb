import ProcdCore
import ProcdPlatform

/// `stop_command` (process-compose's `shutdown.command`): what stops a process in place of
/// its kill signal, run as the app runs (environment, cwd, user and group), and `PROCD_PID`
/// naming the process. The kill timeout still holds: a process left running then gets SIGKILL. The
/// commands' own exits are reaped here, not taken for an app's.
final class StopCommands {
    private let log: DaemonLog
    private var running: [Int32: String] = [:]

    init(log: DaemonLog) {
        self.log = log
    }

    /// Runs `command` for `process` as `request` says (as the app runs: its environment,
    /// cwd, user and group); false when it could not start (the signal goes then).
    func run(_ command: String, for process: ManagedProcess, _ request: Result<Spawn.Request, ProbeFailure>) -> Bool {
        do {
            let pid = try Spawn.spawn(try request.get())
            running[pid] = process.label
            log.info("\(process.label): stopping with its stop_command (pid \(pid)): \(command)")
            return true
        } catch {
            log.warning("\(process.label): stop_command could not start (\(error)); sending the kill signal")
            return false
        }
    }

    /// Whether `pid` is a stop command still running: it carries its app's PROCD_ID, but
    /// is not a process the app left behind.
    func isStopCommand(_ pid: Int32) -> Bool { running[pid] != nil }

    /// A reaped pid that was a stop command's; false when it is not one.
    func reaped(_ pid: Int32, _ status: ExitStatus) -> Bool {
        guard let label = running.removeValue(forKey: pid) else { return false }
        if status != .code(0) { log.warning("\(label): stop_command ended with \(status)") }
        return true
    }
}
