import ProcdCore
import ProcdPlatform

/// Processes taken out of their slots — a reload's predecessor, one that announced its
/// exit, a server a program left in the background. Each runs on (and serves) until it is
/// asked to stop; SIGKILL follows at its kill timeout if it has not exited by then.
final class Retirees {
    private let loop: EventLoop
    private let log: DaemonLog
    private var byPid: [Int32: Retiree] = [:]
    /// A retiree with a channel is about to be asked to stop (it takes no new connections).
    private let stopping: (IPCChannel) -> Void

    init(loop: EventLoop, log: DaemonLog, stopping: @escaping (IPCChannel) -> Void) {
        self.loop = loop
        self.log = log
        self.stopping = stopping
    }

    var isEmpty: Bool { byPid.isEmpty }
    func contains(_ pid: Int32) -> Bool { byPid[pid] != nil }

    /// Takes `retiree` in; one already asked to stop (adopted from an earlier daemon) keeps
    /// its SIGKILL deadline.
    func add(_ retiree: Retiree) {
        byPid[retiree.pid] = retiree
        if let killAt = retiree.killAt { scheduleKill(retiree.pid, at: killAt) }
    }

    /// Its kill signal to the group now, SIGKILL after its kill timeout.
    func stop(_ pid: Int32) {
        guard var retiree = byPid[pid], retiree.killAt == nil else { return }
        let killAt = Clock.now() + retiree.killTimeout
        retiree.killAt = killAt
        byPid[pid] = retiree
        if let channel = retiree.channel { stopping(channel) }
        scheduleKill(pid, at: killAt)
        log.info("\(retiree.label): asking retired pid \(pid) to stop (\(Signals.name(of: retiree.killSignal)))")
        _ = try? Processes.signalGroup(pid, retiree.killSignal)
    }

    /// Stops those that came out of slot `id` (its replacement is online).
    func stop(slot id: Int) {
        for (pid, retiree) in byPid where retiree.slot == id { stop(pid) }
    }

    func stopAll() {
        for pid in byPid.keys { stop(pid) }
    }

    /// `pid` was reaped: if it was a retiree it is forgotten, and what is left of its group
    /// is killed. False when `pid` was not a retiree.
    func reaped(_ pid: Int32, _ status: ExitStatus) -> Bool {
        guard let retiree = byPid.removeValue(forKey: pid) else { return false }
        log.info("\(retiree.label): retired pid \(pid) exited (\(status))")
        if Processes.groupExists(pid) { _ = try? Processes.signalGroup(pid, Signals.kill) }
        return true
    }

    /// For the new image of an in-place update; their channels' descriptors are added to `kept`.
    func handOver(keeping kept: inout [Int32]) -> [JSON] {
        byPid.values.map { r in
            var entry: JSONObject = [
                "pid": .int(Int(r.pid)), "slot": .int(r.slot), "label": .string(r.label),
                "kill_signal": .int(Int(r.killSignal)), "kill_timeout_ms": .int(Int(r.killTimeout.milliseconds)),
            ]
            if let killAt = r.killAt { entry["kill_at"] = .number(Double(killAt.nanoseconds)) }
            if let channel = r.channel {
                entry["channel_fd"] = .int(Int(channel.fd.raw))
                kept.append(channel.fd.raw)
            }
            return .object(entry)
        }
    }

    private func scheduleKill(_ pid: Int32, at killAt: Tick) {
        loop.schedule(at: killAt, isCurrent: { [weak self] at in self?.byPid[pid]?.killAt == at }) { [weak self] now in
            guard let self else { return }
            guard let retiree = self.byPid[pid], let killAt = retiree.killAt, now >= killAt else { return }
            self.log.info("\(retiree.label): retired pid \(pid) still running after kill_timeout; sending SIGKILL to its group")
            _ = try? Processes.signalGroup(pid, Signals.kill)
        }
    }
}
