import ProcdCore
import ProcdPlatform

extension Daemon {
    /// How long a reading of a process tree's CPU and memory is reused. A CPU share over a
    /// few milliseconds (two `list`s in a row) means nothing, and re-reading /proc for
    /// every process on each of a burst of requests is most of what `list` costs.
    static let usageReuse: Duration = .milliseconds(500)

    /// The process as `list` shows it. With `measure`, CPU and memory of its whole tree come
    /// from /proc, read now unless the last reading is under `usageReuse` old; CPU is the
    /// share used since the previous reading.
    func snapshot(_ process: ManagedProcess, measure: Bool) -> ProcessSnapshot {
        let spec = apps[process.appName]?.spec
        let lifecycle = process.lifecycle
        var s = ProcessSnapshot(
            id: process.id, name: process.appName, namespace: spec?.namespace ?? "default",
            instance: process.instance, status: lifecycle.status, command: spec?.command ?? [],
            cwd: spec?.cwd ?? "", outLog: process.outLog, errLog: process.errLog)
        s.pid = process.pid
        s.restarts = lifecycle.restarts
        s.unstableRestarts = lifecycle.unstableRestarts
        s.reason = lifecycle.lastReason
        s.ports = apps[process.appName]?.ports ?? []
        switch lifecycle.lastExit {
        case .code(let code)?: s.exitCode = code
        case .signal(let signal)?: s.exitSignal = Signals.name(of: signal)
        case nil: break
        }
        let now = Clock.now()
        if let started = lifecycle.startedAt, process.pid != nil {
            s.uptimeMilliseconds = (now - started).milliseconds
            s.startedAtMilliseconds = process.startedAtWall
        }
        if measure, let pid = process.pid, let last = process.usage, last.pid == pid, now - last.at < Self.usageReuse {
            s.memory = last.memory
            s.cpu = last.cpu
        } else if measure, let pid = process.pid {
            if process.procHandles?.pid != pid {
                process.procHandles?.close()
                process.procHandles = ProcFS.Handles(pid: pid)
            }
            let usage = ProcFS.treeUsage(pid, handles: process.procHandles)
            s.memory = usage.residentBytes
            let since: (ticks: Int64, at: Tick)? = process.cpuSample ?? lifecycle.startedAt.map { (0, $0) }
            if let since {
                let elapsed = Double((now - since.at).nanoseconds) / 1e9
                if elapsed > 0 {
                    let used = Double(usage.cpuTicks - since.ticks) / Double(ProcFS.ticksPerSecond)
                    s.cpu = max(0, used / elapsed * 100)
                }
            }
            process.cpuSample = (usage.cpuTicks, now)
            process.usage = (pid, s.memory, s.cpu, now)
        }
        return s
    }
}
