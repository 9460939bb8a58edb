import ProcdCore
import ProcdPlatform

/// What `procd run` adds to the daemon: the console for the apps' output, and the exit
/// once every app has ended and none will restart (unless `--no-auto-exit`).
final class ContainerMode {
    struct Options: Sendable {
        /// The `start` request its command line makes (`apps`, shared `env`).
        var startArguments: JSON
        var format: ConsoleSink.Format = .prefixed
        var autoExit = true
        var logFiles = true

        init(startArguments: JSON) { self.startArguments = startArguments }
    }

    let options: Options
    let console: ConsoleSink
    /// The exit code of the first app that failed, in the order failures happened.
    private var firstFailure: Int32?
    private var failed = Set<Int>()

    init(options: Options, console: ConsoleSink) {
        self.options = options
        self.console = console
    }

    /// The exit code once every process has ended for good; nil while any runs or will
    /// restart, and always nil with `--no-auto-exit`.
    func exitCode(_ processes: [ManagedProcess]) -> Int32? {
        var outcomes: [RunExit.Outcome] = []
        for process in processes.sorted(by: { $0.id < $1.id }) {
            let lifecycle = process.lifecycle
            let outcome = RunExit.Outcome(status: lifecycle.status, lastExit: lifecycle.lastExit,
                                          stopExitCodes: lifecycle.policy.stopExitCodes,
                                          stoppedOnRequest: lifecycle.lastReason == "stop requested")
            if let code = outcome.failureCode, failed.insert(process.id).inserted, firstFailure == nil { firstFailure = code }
            outcomes.append(outcome)
        }
        guard options.autoExit else { return nil }
        return RunExit.code(outcomes, firstFailure: firstFailure)
    }
}
