import ProcdCore

/// One process slot of an app: its id, instance, lifecycle and the running pid, if any.
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
    var outLog: String
    var errLog: String
    /// The last CPU sample, so `list` reports usage since the previous look.
    var cpuSample: (ticks: Int64, at: Tick)?

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
    var spec: AppSpec
    var processIDs: [Int] = []

    init(spec: AppSpec) { self.spec = spec }
}
