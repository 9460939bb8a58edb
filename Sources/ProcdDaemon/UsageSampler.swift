import ProcdCore
import ProcdPlatform

/// Memory and CPU of each process's tree, read from /proc when asked (`list`, `/metrics`,
/// memory limits), never on a timer. It owns, by process id, the /proc files kept open
/// for the running pid, the last CPU sample (a share is the use since the previous
/// look) and the last reading, reused while it is fresh.
final class UsageSampler {
    /// A reading younger than this is given again: a CPU share measured over a few
    /// milliseconds (two `list`s in a row) means nothing, and re-reading /proc for every
    /// process on each of a burst of requests is most of what `list` costs.
    static let reuse: Duration = .milliseconds(500)

    private struct Record {
        var handles: ProcFS.Handles?
        var cpu: (ticks: Int64, at: Tick)?
        var last: (pid: Int32, memory: Int64, cpu: Double, at: Tick)?
    }
    private var records: [Int: Record] = [:]

    /// Memory and CPU share of the tree of `pid`, the slot's running process.
    func usage(of processID: Int, pid: Int32, startedAt: Tick?, now: Tick) -> (memory: Int64, cpu: Double) {
        // Read without a copy of the record: a burst of `list`s takes this path for every process.
        if let last = records[processID]?.last, last.pid == pid, now - last.at < Self.reuse { return (last.memory, last.cpu) }
        return read(&records[processID, default: Record()], pid: pid, startedAt: startedAt, now: now)
    }

    /// A new reading into `record`.
    private func read(_ record: inout Record, pid: Int32, startedAt: Tick?, now: Tick) -> (memory: Int64, cpu: Double) {
        if record.handles?.pid != pid {
            record.handles?.close()
            record.handles = ProcFS.Handles(pid: pid)
        }
        let tree = ProcFS.treeUsage(pid, handles: record.handles)
        var cpu = 0.0
        if let since = record.cpu ?? startedAt.map({ (Int64(0), $0) }) {
            let elapsed = Double((now - since.at).nanoseconds) / 1e9
            if elapsed > 0 { cpu = max(0, Double(tree.cpuTicks - since.ticks) / Double(ProcFS.ticksPerSecond) / elapsed * 100) }
        }
        record.cpu = (tree.cpuTicks, now)
        record.last = (pid, tree.residentBytes, cpu, now)
        return (tree.residentBytes, cpu)
    }

    /// CPU seconds of the tree at the last reading (for `/metrics`).
    func cpuSeconds(of processID: Int) -> Double? {
        records[processID]?.cpu.map { Double($0.ticks) / Double(ProcFS.ticksPerSecond) }
    }

    /// A new run of the slot: its CPU is counted from its start.
    func started(_ processID: Int) {
        records[processID]?.cpu = nil
    }

    /// The running process left the slot (it exited or was retired): its /proc files close.
    func stopped(_ processID: Int) {
        records[processID]?.handles?.close()
        records[processID]?.handles = nil
    }

    /// The slot left the table.
    func forget(_ processID: Int) {
        stopped(processID)
        records[processID] = nil
    }
}
