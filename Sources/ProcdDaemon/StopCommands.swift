import ProcdCore
import ProcdPlatform

/// `stop_command` (process-compose's `shutdown.command`): what stops a process in place of
/// its kill signal, run with the app's environment and cwd, and `PROCD_PID` naming the
/// process. The kill timeout still holds: a process left running then gets SIGKILL. The
/// commands' own exits are reaped here, not taken for an app's.
final class StopCommands {
    private let log: DaemonLog
    private let devNull: OwnedFD
    private var running: [Int32: String] = [:]

    init(log: DaemonLog, devNull: OwnedFD) {
        self.log = log
        self.devNull = devNull
    }

    /// Runs `command` for `process`; false when it could not start (the signal goes then).
    func run(_ command: String, for process: ManagedProcess, env: [String: String], cwd: String) -> Bool {
        var env = env
        env[EnvironmentName.pid] = process.pid.map(String.init)
        let request = Spawn.Request(path: "/bin/sh", argv: ["/bin/sh", "-c", command], env: env.map { "\($0.key)=\($0.value)" },
                                    cwd: cwd, descriptors: [devNull.raw, devNull.raw, devNull.raw])
        do {
            let pid = try Spawn.spawn(request)
            running[pid] = process.label
            log.info("\(process.label): stopping with its stop_command (pid \(pid)): \(command)")
            return true
        } catch {
            log.warning("\(process.label): stop_command could not start (\(error)); sending the kill signal")
            return false
        }
    }

    /// A reaped pid that was a stop command's; false when it is not one.
    func reaped(_ pid: Int32, _ status: ExitStatus) -> Bool {
        guard let label = running.removeValue(forKey: pid) else { return false }
        if status != .code(0) { log.warning("\(label): stop_command ended with \(status)") }
        return true
    }
}
