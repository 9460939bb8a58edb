import ProcdCore
import ProcdWire

/// What clients still wait for: replies held back until their processes settle, and
/// reloads moving through an app's slots one at a time. The conditions are the daemon's
/// to judge; this keeps the list, and forgets a client's share when it leaves.
final class PendingReplies {
    private var waiters: [Waiter] = []
    private var reloads: [ReloadJob] = []

    /// No reply is held back (reloads are told apart by `isReloading`).
    var isEmpty: Bool { waiters.isEmpty }
    var isReloading: Bool { !reloads.isEmpty }

    func hold(_ waiter: Waiter) {
        waiters.append(waiter)
    }

    func startReload(_ job: ReloadJob) {
        reloads.append(job)
    }

    /// Whether a request of this client is still unanswered.
    func owes(_ token: UInt64) -> Bool {
        waiters.contains { $0.connection == token } || reloads.contains { $0.connection == token }
    }

    /// The client left: its held replies are dropped (a reload it asked for goes on).
    func forget(_ token: UInt64) {
        waiters.removeAll { $0.connection == token }
    }

    /// A shutdown: reloads stop where they are.
    func cancelReloads() {
        reloads.removeAll()
    }

    /// Removes and returns the waiters `isDone` accepts, in the order they came.
    func takeSettled(_ isDone: (Waiter) -> Bool) -> [Waiter] {
        guard !waiters.isEmpty else { return [] }
        var done: [Waiter] = []
        waiters.removeAll { waiter in
            guard isDone(waiter) else { return false }
            done.append(waiter)
            return true
        }
        return done
    }

    /// Moves each reload on; `step` returns true once its job is finished.
    func advanceReloads(_ step: (inout ReloadJob) -> Bool) {
        guard !reloads.isEmpty else { return }
        let jobs = reloads
        reloads = []
        var remaining: [ReloadJob] = []
        for var job in jobs where !step(&job) { remaining.append(job) }
        reloads = remaining + reloads
    }
}

/// A reply held back until its processes reach a settled state.
struct Waiter {
    enum Condition {
        /// Not running: stopped, errored, or gone.
        case halted
        /// Gone from the table.
        case removed
        /// Out of the transitional states (launching, stopping, and a restart in progress).
        case settled
        /// Settled, and each online process past the point where it could still be a
        /// program forking into the background (`Daemon.verdictPending`): for `start`.
        case started
    }

    var connection: UInt64
    var requestID: Int
    var ids: [Int]
    var condition: Condition
    /// Exit the daemon once this reply is sent (for `kill`).
    var thenShutdown = false
    /// Snapshots taken when the request arrived, for processes the reply may no longer find.
    var before: [Int: JSON] = [:]
    /// For a batch: each app's processes or its error, reported app by app.
    var apps: [AppOutcome]? = nil

    struct AppOutcome {
        var name: String
        var ids: [Int]
        var error: WireError?
        /// The command line of the definition this start replaced.
        var replaced: String?

        init(name: String, ids: [Int], error: WireError? = nil, replaced: String? = nil) {
            self.name = name
            self.ids = ids
            self.error = error
            self.replaced = replaced
        }
    }
}


/// A `reload` in progress: slots replaced one at a time, each replacement online before
/// the next begins (and before its predecessor is asked to stop).
struct ReloadJob {
    var connection: UInt64
    var requestID: Int
    var pending: [Int]
    var current: Int?
    var done: [Int] = []
}
