import ProcdCore
import ProcdPlatform

/// One process slot of an app: its id, instance, lifecycle and the running pid, if any.
///
/// A record, not a subsystem: the daemon's lifecycle steps change its lifecycle and pids;
/// the fields marked for a subsystem are changed by that subsystem only.
final class ManagedProcess {
    let id: Int
    var appName: String
    var instance: Int
    var lifecycle: Lifecycle
    var pid: Int32?
    /// The process group to signal: the leader's pid, kept until the whole group is gone.
    var pgid: Int32?
    /// Wall-clock start, for display.
    var startedAtWall: Int64?
    /// When the slot was created (wall clock, for display).
    var createdAtWall = Clock.wallMilliseconds()
    var outLog: String
    var errLog: String
    /// The start time (/proc's, in ticks) of `pid`, read once: `state.json` records it so
    /// that a later daemon can tell this process from another that got the same pid.
    var pidStart: (pid: Int32, ticks: Int64)?
    /// The unchanging start of this process's `list` table row, for its namespace.
    var rowPrefix: (namespace: String, bytes: [UInt8])?
    /// Its `list --json` row but for uptime, CPU and memory, and what it was made from.
    var listRowMade: ListRowInputs?
    var listRowParts: ListRow.Parts?
    /// The Node IPC channel of the current process, if it has one.
    var channel: IPCChannel?
    /// The last `STATUS=` the process sent over NOTIFY_SOCKET.
    var statusText: String?
    /// The last message a Node app sent over its IPC channel (JSON).
    var lastMessage: JSON?
    /// The pid of the latest process, kept after it exits (for its events).
    var lastPid: Int32?
    /// Exits by reason (`requested`, `exited`, `failed`, `killed`).
    var exits: [String: Int] = [:]

    init(id: Int, appName: String, instance: Int, policy: RestartPolicy, outLog: String, errLog: String) {
        self.id = id
        self.appName = appName
        self.instance = instance
        self.lifecycle = Lifecycle(policy: policy)
        self.outLog = outLog
        self.errLog = errLog
    }

    var label: String { "\(appName)#\(instance) (id \(id))" }
}

/// An app: its definition and its process slots in instance order.
final class ManagedApp {
    var spec: AppSpec {
        didSet {
            stateBytes = nil
            specVersion += 1
        }
    }
    /// Counts changes of `spec`: what was rendered from an older one is stale.
    private(set) var specVersion = 0
    /// The definition as `state.json` holds it, kept until the definition changes, so a
    /// write of the table does not serialise every app's environment again (`StateFile`).
    var stateBytes: [UInt8]?
    var processIDs: [Int] = []
    /// Listening sockets held for the app's lifetime and given to every instance.
    var listeners: [(address: ListenAddress, fd: OwnedFD)] = [] {
        didSet { ports = listeners.compactMap { Sockets.port(of: $0.fd) } }
    }
    /// Cluster mode: the socket held for each address an instance's `listen()` asked for
    /// (the port as asked; 0 is one ephemeral port shared by all).
    var sharedListeners: [ListenAddress: OwnedFD] = [:]
    /// Where the cluster preload is for an app that runs as another user.
    var preloadCopy: String?
    /// The ports those sockets are bound to, read once.
    private(set) var ports: [Int] = []

    init(spec: AppSpec) { self.spec = spec }
}


/// What a process's `list --json` row is made from, uptime, CPU and memory aside
/// (`ListRow.parts`): a row is rendered again only when one of these changed.
struct ListRowInputs: Equatable {
    var specVersion: Int
    var pid: Int32?
    var status: ProcessStatus
    var restarts: Int
    var unstableRestarts: Int
    var startedAtWall: Int64?
    var lastExit: ExitStatus?
    var reason: String?
    var notReady: String?
    var ready: Bool?
    var outLog: String
    var errLog: String
    var ports: [Int]
}
