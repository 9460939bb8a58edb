import ProcdCore

/// The table: every app in the order it was added, every process slot by id, and the
/// running pids. Its indexes are kept consistent here and nowhere else: a slot is found
/// by its pid only while that pid runs in it.
final class ProcessTable {
    private var appsByName: [String: ManagedApp] = [:]
    private var order: [String] = []
    private var slots: [Int: ManagedProcess] = [:] {
        didSet { sortedIDs = nil }
    }
    /// `slots`' keys in order, kept until the table changes: `list` asks for them each time.
    private var sortedIDs: [Int]?
    private var slotByPid: [Int32: Int] = [:]
    /// Slots whose leader exited while others of its group still run.
    private var draining = Set<Int>()
    /// The id the next slot gets; ids are never reused while the daemon runs.
    private(set) var nextID = 0

    // MARK: Apps

    func app(_ name: String) -> ManagedApp? { appsByName[name] }
    /// App names in the order the apps were added.
    var appNames: [String] { order }
    var appsInOrder: [ManagedApp] { order.compactMap { appsByName[$0] } }
    var appCount: Int { order.count }
    var isEmpty: Bool { appsByName.isEmpty }

    func add(_ app: ManagedApp) {
        if appsByName.updateValue(app, forKey: app.spec.name) == nil { order.append(app.spec.name) }
    }

    func removeApp(_ name: String) {
        guard appsByName.removeValue(forKey: name) != nil else { return }
        order.removeAll { $0 == name }
    }

    // MARK: Process slots

    func process(_ id: Int) -> ManagedProcess? { slots[id] }
    /// Every slot, in no particular order.
    var processes: Dictionary<Int, ManagedProcess>.Values { slots.values }
    var processIDs: [Int] {
        if let sortedIDs { return sortedIDs }
        let ids = slots.keys.sorted()
        sortedIDs = ids
        return ids
    }
    var processCount: Int { slots.count }

    /// A new slot with the next id (not yet in the table: see `insert`).
    func makeProcess(appName: String, instance: Int, policy: RestartPolicy, outLog: String, errLog: String) -> ManagedProcess {
        defer { nextID += 1 }
        return ManagedProcess(id: nextID, appName: appName, instance: instance, policy: policy, outLog: outLog, errLog: errLog)
    }

    /// Puts a slot in the table, and its pid in the index if it runs; an adopted slot's id
    /// moves the next id past it.
    func insert(_ process: ManagedProcess) {
        slots[process.id] = process
        nextID = max(nextID, process.id + 1)
        if let pid = process.pid { slotByPid[pid] = process.id }
    }

    func removeProcess(_ process: ManagedProcess) {
        slots[process.id] = nil
        draining.remove(process.id)
        if let pid = process.pid, slotByPid[pid] == process.id { slotByPid[pid] = nil }
    }

    /// Raises the next id to at least `id` (a table read back from disk).
    func reserveIDs(below id: Int) {
        nextID = max(nextID, id)
    }

    /// The leader of `process` exited while others of its group still run.
    func markDraining(_ process: ManagedProcess) {
        draining.insert(process.id)
    }

    /// The slots still stopping with their leader gone; those that moved on are forgotten.
    func drainingProcesses() -> [ManagedProcess] {
        var still: [ManagedProcess] = []
        for id in draining {
            guard let process = slots[id], case .stopping(_, true, _) = process.lifecycle.phase else {
                draining.remove(id)
                continue
            }
            still.append(process)
        }
        return still
    }

    func doneDraining(_ process: ManagedProcess) {
        draining.remove(process.id)
    }

    // MARK: Running pids

    func process(pid: Int32) -> ManagedProcess? { slotByPid[pid].flatMap { slots[$0] } }
    func isSlotPid(_ pid: Int32) -> Bool { slotByPid[pid] != nil }

    /// The process now runs as `pid`.
    func bind(_ pid: Int32, to process: ManagedProcess) {
        slotByPid[pid] = process.id
    }

    /// `pid` no longer runs in a slot (it exited or was retired); its slot, if it had one.
    @discardableResult
    func unbind(_ pid: Int32) -> ManagedProcess? {
        slotByPid.removeValue(forKey: pid).flatMap { slots[$0] }
    }
}
