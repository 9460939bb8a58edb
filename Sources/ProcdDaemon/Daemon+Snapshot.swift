import ProcdCore
import ProcdPlatform

extension Daemon {
    /// The process as `list` shows it. With `measure`, CPU and memory of its whole tree come
    /// from /proc, read now unless the last reading is under `UsageSampler.reuse` old; CPU is the
    /// share used since the previous reading.
    func snapshot(_ process: ManagedProcess, measure: Bool) -> ProcessSnapshot {
        let spec = table.app(process.appName)?.spec
        let lifecycle = process.lifecycle
        var s = ProcessSnapshot(
            id: process.id, name: process.appName, namespace: spec?.namespace ?? "default",
            instance: process.instance, status: lifecycle.status, command: spec?.command ?? [],
            cwd: spec?.cwd ?? "", outLog: process.outLog, errLog: process.errLog)
        s.pid = process.pid
        s.restarts = lifecycle.restarts
        s.unstableRestarts = lifecycle.unstableRestarts
        s.reason = lifecycle.lastReason
        s.notReady = lifecycle.readyNote
        s.ready = prober.isReady(process)
        s.ports = table.app(process.appName)?.ports ?? []
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
        if measure, let usage = usage(of: process, now: now) {
            s.memory = usage.memory
            s.cpu = usage.cpu
        }
        return s
    }

    /// Memory and CPU share of the process's tree (see `UsageSampler`); nil when it does
    /// not run.
    func usage(of process: ManagedProcess, now: Tick) -> (memory: Int64, cpu: Double)? {
        guard let pid = process.pid else { return nil }
        return sampler.usage(of: process.id, pid: pid, startedAt: process.lifecycle.startedAt, now: now)
    }

    /// The reply to a full `list` (`list --json`), written into one reused buffer: each
    /// row is kept with its process, rendered again when the process changed, and only
    /// uptime, CPU and memory are written anew.
    func fullListReply(id: Int) -> [UInt8] {
        var out = listBuffer.take()
        out += Array(#"{"id":"#.utf8)
        out += String(id).utf8
        out += Array(#","ok":true,"result":["#.utf8)
        let now = Clock.now()
        for (i, id) in table.processIDs.enumerated() {
            guard let process = table.process(id), let app = table.app(process.appName) else { continue }
            if i > 0 { out.append(UInt8(ascii: ",")) }
            // The lifecycle's fields are read in place, not from a copy of it: this runs for
            // every row of every request.
            let inputs = ListRowInputs(
                specVersion: app.specVersion, pid: process.pid, status: process.lifecycle.status, restarts: process.lifecycle.restarts,
                unstableRestarts: process.lifecycle.unstableRestarts, startedAtWall: process.startedAtWall, lastExit: process.lifecycle.lastExit,
                reason: process.lifecycle.lastReason, notReady: process.lifecycle.readyNote, ready: prober.isReady(process, of: app),
                outLog: process.outLog, errLog: process.errLog, ports: app.ports)
            if process.listRowMade != inputs {
                process.listRowMade = inputs
                process.listRowParts = ListRow.parts(snapshot(process, measure: false))
            }
            guard let parts = process.listRowParts else { continue }
            let usage = usage(of: process, now: now)
            let uptime = process.pid == nil ? nil : process.lifecycle.startedAt.map { (now - $0).milliseconds }
            ListRow.append(parts, uptimeMilliseconds: uptime, cpu: usage?.cpu ?? 0, memory: usage?.memory ?? 0, to: &out)
        }
        out += Array("]}\n".utf8)
        return out
    }

    /// The start of the process's rows (`TableRow.prefix`), made again when its namespace changes.
    private func rowPrefix(_ process: ManagedProcess, namespace: String) -> [UInt8] {
        if process.rowPrefix?.namespace != namespace {
            process.rowPrefix = (namespace, TableRow.prefix(id: process.id, name: process.appName, namespace: namespace, instance: process.instance))
        }
        return process.rowPrefix?.bytes ?? []
    }

    /// The reply to a compact `list` (the table view), written into one reused buffer.
    func compactListReply(id: Int) -> [UInt8] {
        let now = Clock.now()
        var out = listBuffer.take()
        out += Array(#"{"id":"#.utf8)
        out += String(id).utf8
        out += Array(#","ok":true,"result":["#.utf8)
        for (i, id) in table.processIDs.enumerated() {
            guard let process = table.process(id) else { continue }
            if i > 0 { out.append(UInt8(ascii: ",")) }
            let prefix = rowPrefix(process, namespace: table.app(process.appName)?.spec.namespace ?? "default")
            let usage = usage(of: process, now: now)
            let uptime = process.pid == nil ? nil : process.lifecycle.startedAt.map { (now - $0).milliseconds }
            TableRow.append(
                prefix: prefix, pid: process.pid, status: process.lifecycle.status,
                restarts: process.lifecycle.restarts, uptimeMilliseconds: uptime,
                cpu: usage?.cpu ?? 0, memory: usage?.memory ?? 0, to: &out)
        }
        out += Array("]}\n".utf8)
        return out
    }
}
