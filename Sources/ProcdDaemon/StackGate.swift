import ProcdCore

/// `depends_on`: which starts wait, and when they may go.
///
/// A start of an app whose dependencies are not met becomes a hold (status `waiting`,
/// with what it waits for), or, when they can no longer be met, an abandon (`stopped`,
/// with why). Every lifecycle change is noted; at the end of the turn `settle` looks at
/// the held processes of the apps that depend on what changed, so a start happens the
/// moment its dependencies are met, with no polling. The gate owns what the table does
/// not hold: which apps printed their `ready_log_line`, the unfinished line it is matched
/// against, and the apps changed this turn.
final class StackGate {
    private let table: ProcessTable
    private var logReady = Set<String>()
    /// The end of each watched process's output after its last line break, so a line
    /// split across reads still matches.
    private var partial: [Int: [UInt8]] = [:]
    private var changed = Set<String>()
    /// Stops and deletes under way in dependency order: the first layer of each is the one
    /// stopping now; the next goes once it has come to rest.
    private var sequences: [(event: Lifecycle.Event, layers: [[Int]])] = []

    init(table: ProcessTable) {
        self.table = table
    }

    /// The event to apply instead of a start that must wait; nil when it may go now.
    func gate(_ event: Lifecycle.Event, _ process: ManagedProcess) -> Lifecycle.Event? {
        switch event {
        case .start, .restart, .reload: break
        default: return nil
        }
        guard !process.lifecycle.isRunning, process.lifecycle.status != .stopping,
              let spec = table.app(process.appName)?.spec, !spec.dependsOn.isEmpty else { return nil }
        return replacement(verdict(spec), process)
    }

    private func replacement(_ verdict: DependencyVerdict, _ process: ManagedProcess) -> Lifecycle.Event? {
        switch verdict {
        case .met: return nil
        case .waiting: return .hold(verdict.reason ?? "waiting")
        case .cannot: return .abandon(verdict.reason ?? "not started")
        }
    }

    func verdict(_ spec: AppSpec) -> DependencyVerdict {
        var states: [String: DependencyState] = [:]
        for dependency in spec.dependsOn { states[dependency.name] = state(of: dependency.name) }
        return DependencyVerdict.judge(spec.dependsOn, states)
    }

    /// Where `app` stands for the apps that wait for it; every process counts.
    func state(of name: String) -> DependencyState {
        var state = DependencyState()
        guard let app = table.app(name) else { return state }
        let processes = app.processIDs.compactMap { table.process($0) }
        guard !processes.isEmpty else { return state }
        let lifecycles = processes.map(\.lifecycle)
        state.started = lifecycles.allSatisfy { $0.startedAt != nil && $0.status != .waiting }
        state.online = lifecycles.allSatisfy { $0.status == .online }
        // A readiness probe gates `online` (Prober); without one, healthy is online.
        state.healthy = state.online
        state.completed = lifecycles.allSatisfy { !$0.isRunning && [.stopped, .errored].contains($0.status) && $0.lastExit != nil }
        state.succeeded = state.completed && lifecycles.allSatisfy { $0.lastExit == .code(0) }
        state.errored = lifecycles.contains { $0.status == .errored }
        state.logReady = logReady.contains(name)
        return state
    }

    /// A process's lifecycle took `event`: what depends on its app is looked at in
    /// `settle`. A new start of the app forgets its ready line.
    func noted(_ event: Lifecycle.Event, _ process: ManagedProcess, from previous: ProcessStatus) {
        if previous != process.lifecycle.status || event == .spawned { changed.insert(process.appName) }
        if event == .start && previous != .online && previous != .launching {
            logReady.remove(process.appName)
            partial[process.id] = nil
        }
    }

    /// Output of a process whose app waits for a line (`ready_log_line`).
    func output(_ process: ManagedProcess, _ bytes: UnsafeRawBufferPointer, line wanted: String) {
        guard !logReady.contains(process.appName) else { return }
        var text = partial[process.id] ?? []
        text.append(contentsOf: bytes)
        if text.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
            .contains(where: { String(decoding: $0, as: UTF8.self).contains(wanted) }) {
            logReady.insert(process.appName)
            changed.insert(process.appName)
            partial[process.id] = nil
            return
        }
        // Only the unfinished line is kept, and no more of it than a line could need.
        let rest = text.lastIndex(of: UInt8(ascii: "\n")).map { Array(text[(text.index(after: $0))...]) } ?? text
        partial[process.id] = Array(rest.suffix(max(4096, wanted.utf8.count * 2)))
    }

    /// `processes` grouped for a stop or a delete: dependents before what they depend on
    /// (among these processes); one group when none depends on another.
    func stopLayers(_ processes: [ManagedProcess]) -> [[ManagedProcess]] {
        var names: [String] = []
        for process in processes where !names.contains(process.appName) { names.append(process.appName) }
        let apps = names.map { name in (name: name, dependencies: (table.app(name)?.spec.dependsOn ?? []).filter { names.contains($0.name) }) }
        guard apps.contains(where: { !$0.dependencies.isEmpty }), case .success(let graph) = DependencyGraph.make(apps) else {
            return processes.isEmpty ? [] : [processes]
        }
        return graph.stopLayers.map { layer in processes.filter { layer.contains($0.appName) } }.filter { !$0.isEmpty }
    }

    /// The layers after the first, which is being stopped now.
    func queue(_ layers: [[Int]], _ event: Lifecycle.Event) {
        guard layers.count > 1 else { return }
        sequences.append((event, layers))
    }

    /// The processes whose turn to stop has come: every process of the layer before is at
    /// rest (or gone). Empty once no layer is due.
    func dueStops(atRest: (Int) -> Bool) -> [(Int, Lifecycle.Event)] {
        var due: [(Int, Lifecycle.Event)] = []
        for index in sequences.indices {
            guard let current = sequences[index].layers.first, current.allSatisfy(atRest) else { continue }
            sequences[index].layers.removeFirst()
            due += (sequences[index].layers.first ?? []).map { ($0, sequences[index].event) }
        }
        sequences.removeAll { $0.layers.isEmpty }
        return due
    }

    /// A process left the table.
    func forget(_ processID: Int) { partial[processID] = nil }

    /// What to apply to held processes whose dependencies changed this turn: a start, a
    /// new reason to wait, or an abandon. Empty once nothing changed.
    func settle() -> [(ManagedProcess, Lifecycle.Event)] {
        guard !changed.isEmpty else { return [] }
        let apps = changed
        changed.removeAll()
        var out: [(ManagedProcess, Lifecycle.Event)] = []
        for app in table.appsInOrder where app.spec.dependsOn.contains(where: { apps.contains($0.name) }) {
            let verdict = verdict(app.spec)
            for id in app.processIDs {
                guard let process = table.process(id), process.lifecycle.phase == .held else { continue }
                if let event = replacement(verdict, process) {
                    if case .hold(let reason) = event, reason == process.lifecycle.lastReason { continue }
                    out.append((process, event))
                } else {
                    out.append((process, .start))
                }
            }
        }
        return out
    }
}
