/// The user-visible state of a process (the SPEC's names).
public enum ProcessStatus: String, Sendable, CaseIterable {
    case launching, online, stopping, stopped, waiting, errored
}

/// How a process ended.
public enum ExitStatus: Equatable, Sendable, CustomStringConvertible {
    case code(Int32)
    case signal(Int32)

    public var description: String {
        switch self {
        case .code(let c): "exit code \(c)"
        case .signal(let s): "signal \(Signals.name(of: s))"
        }
    }

    /// As a shell reports it: the code, or 128 plus the signal.
    public var shellCode: Int32 {
        switch self {
        case .code(let c): c
        case .signal(let s): 128 + s
        }
    }
}

/// The lifecycle of one process slot: a pure state machine that returns effects as data.
///
/// The daemon feeds it observed facts (spawned, exited, timer fired) and user requests,
/// and performs the effects it returns. It never reads a clock; `now` is passed in.
public struct Lifecycle: Equatable, Sendable {
    /// What happens once a stopping process has exited.
    public enum AfterStop: Equatable, Sendable {
        case rest, restart, remove
        /// It was stopped for not becoming ready in time: count it as an unstable crash.
        case failedStart
    }

    public enum Phase: Equatable, Sendable {
        case stopped
        /// Spawned and waiting for readiness, which counts as given at `readyBy`.
        case launching(readyBy: Tick?)
        case online(since: Tick)
        /// Kill signal sent; SIGKILL at `killAt` (nil once sent). The leader may have
        /// exited while others of its group still run.
        case stopping(killAt: Tick?, leaderExited: Bool, then: AfterStop)
        case waiting(until: Tick)
        /// Not started: what it depends on is not there yet (`depends_on`); the reason says
        /// what it waits for.
        case held
        case errored
    }

    public enum Event: Equatable, Sendable {
        case start
        case restart
        /// A restart the daemon decided (watchdog, health, memory, cron, watch), with why.
        case autoRestart(String)
        /// Start a replacement now; the current process keeps running until it is online.
        case reload
        /// The process announced its own exit (STOPPING=1, or Node's 'shutdown'):
        /// start its replacement at once.
        case exiting
        case stop
        case delete
        case reset
        case spawned
        case spawnFailed(String)
        /// A readiness signal from the process: READY=1, `process.send('ready')`, listen().
        case ready
        /// The readiness probe passed (with `awaitsProbe`, the only way to online).
        case probePassed
        /// The leader was reaped; `groupAlive` tells whether others of its group remain.
        case exited(ExitStatus, groupAlive: Bool)
        /// The last member of a stopping process's group is gone.
        case groupGone
        /// The leader exited 0 right after it started, leaving a process that put itself
        /// in the background: the app cannot be supervised as it is, with why.
        case forkedAway(String)
        /// A deadline scheduled earlier may have passed.
        case timer
        /// A start waits for the app's dependencies, with what it waits for.
        case hold(String)
        /// A held start will not happen: a dependency can no longer be met, with why.
        case abandon(String)
    }

    public enum Effect: Equatable, Sendable {
        case spawn
        /// Send a signal to the whole process group.
        case signalGroup(Int32)
        /// Deliver `.timer` at (or after) this tick.
        case wake(at: Tick)
        /// Drop the process from the table.
        case remove
        /// Record a decision in the daemon's log, with the reason.
        case log(String)
        /// Detach the running process from this slot; it runs on until `.stopRetired`.
        case retire
        /// Ask the processes retired from this slot to stop (the replacement is online,
        /// or the slot came to rest).
        case stopRetired
    }

    public internal(set) var phase: Phase = .stopped
    public var policy: RestartPolicy
    /// Every restart, manual or automatic.
    public internal(set) var restarts = 0
    /// Unstable restarts in a row (exits sooner than min_uptime).
    public internal(set) var unstableRestarts = 0
    public internal(set) var startedAt: Tick?
    public internal(set) var lastExit: ExitStatus?
    /// Why the process last restarted, stopped or gave up.
    public internal(set) var lastReason: String?
    var backoff: Duration?
    /// A process retired from this slot is still running and waits for `.stopRetired`.
    public internal(set) var hasRetiree = false
    /// The last start failed for want of a readiness signal, and nothing has come online
    /// since: a client waiting for the start has its answer.
    public internal(set) var readinessFailed = false
    /// Online by listen_timeout, with no readiness signal: why that matters, until it
    /// signals or starts again.
    public internal(set) var readyNote: String?

    public init(policy: RestartPolicy) { self.policy = policy }

    public var status: ProcessStatus {
        switch phase {
        case .stopped: .stopped
        case .launching: .launching
        case .online: .online
        case .stopping: .stopping
        case .waiting, .held: .waiting
        case .errored: .errored
        }
    }

    /// True while a process of this slot may be alive (spawned and not yet reaped).
    public var isRunning: Bool {
        switch phase {
        case .launching, .online: true
        case .stopping(_, let leaderExited, _): !leaderExited
        case .stopped, .waiting, .held, .errored: false
        }
    }

    /// Adds what the daemon learned about the last failure (from the process's output,
    /// say) to the reason.
    public mutating func explain(_ note: String) {
        lastReason = (lastReason.map { $0 + "; " } ?? "") + note
    }
}
