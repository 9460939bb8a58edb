import ProcdCore
import ProcdPlatform
import ProcdWire

extension Daemon {
    /// The Prometheus exposition of every process and of the daemon itself.
    func metricsText() -> String {
        let all = table.processes.sorted { $0.id < $1.id }
        var rows: [(process: ManagedProcess, snapshot: ProcessSnapshot, labels: [(String, String)])] = []
        for p in all {
            let s = snapshot(p, measure: true)
            rows.append((p, s, [("app", p.appName), ("id", String(p.id)), ("namespace", s.namespace), ("instance", String(p.instance))]))
        }
        func perProcess(_ value: (ManagedProcess, ProcessSnapshot) -> Double?) -> [(labels: [(String, String)], value: Double)] {
            rows.compactMap { row in value(row.process, row.snapshot).map { (row.labels, $0) } }
        }
        var out = MetricsText()
        out.family("procd_process_up", .gauge, help: "1 when the process is online, else 0.",
                   perProcess { _, s in s.status == .online ? 1 : 0 })
        out.family("procd_process_waiting_for_dependencies", .gauge,
                   help: "1 while the process waits for the apps it depends on (depends_on), else 0.",
                   perProcess { p, _ in p.lifecycle.phase == .held ? 1 : 0 })
        out.family("procd_process_ready", .gauge, help: "1 while the process's readiness probe passes, else 0 (apps with one).",
                   perProcess { p, _ in prober.isReady(p).map { $0 ? 1 : 0 } })
        out.family("procd_probe_failures_total", .counter, help: "Failed runs of the process's readiness or liveness probe.",
                   rows.flatMap { row in
                       [Prober.Kind.readiness, .liveness].compactMap { kind in
                           prober.failures(row.process, kind).map { (row.labels + [("probe", kind.rawValue)], Double($0)) }
                       }
                   })
        out.family("procd_process_restarts_total", .counter, help: "Restarts of the process slot, manual or automatic.",
                   perProcess { _, s in Double(s.restarts) })
        out.family("procd_process_unstable_restarts", .gauge, help: "Restarts in a row within min_uptime.",
                   perProcess { _, s in Double(s.unstableRestarts) })
        out.family("procd_process_cpu_seconds_total", .counter, help: "CPU time used by the running process tree.",
                   perProcess { p, _ in p.pid == nil ? nil : sampler.cpuSeconds(of: p.id) })
        out.family("procd_process_resident_memory_bytes", .gauge, help: "Resident memory of the running process tree.",
                   perProcess { p, s in p.pid == nil ? nil : Double(s.memory) })
        out.family("procd_process_start_time_seconds", .gauge, help: "When the running process started, seconds since the epoch.",
                   perProcess { p, _ in p.pid == nil ? nil : p.startedAtWall.map { Double($0) / 1000 } })
        out.family("procd_process_exits_total", .counter,
                   help: "Exits of the process slot by reason: requested, exited (code 0), failed (other codes), killed (signal).",
                   rows.flatMap { row in
                       ["requested", "exited", "failed", "killed"].map { (row.labels + [("reason", $0)], Double(row.process.exits[$0] ?? 0)) }
                   })
        out.family("procd_process_log_bytes_total", .counter, help: "Bytes of output written to the process's log files.",
                   rows.flatMap { row in
                       [(row.labels + [("stream", "out")], Double(logs.bytesWritten(row.process.id).out)),
                        (row.labels + [("stream", "err")], Double(logs.bytesWritten(row.process.id).err))]
                   })
        out.family("procd_build_info", .gauge, help: "The running procd's version.", [([("version", ProcdVersion.current)], 1)])
        out.family("procd_daemon_resident_memory_bytes", .gauge, help: "Resident memory of the procd daemon.",
                   value: Double(ProcFS.selfResidentBytes()))
        out.family("procd_daemon_open_fds", .gauge, help: "Descriptors the procd daemon holds open.",
                   value: Double(File.list("/proc/self/fd").count))
        out.family("procd_daemon_clients", .gauge, help: "Clients connected to the control socket and the HTTP listener.",
                   value: Double(clients.count + (http?.clientCount ?? 0)))
        out.family("procd_daemon_uptime_seconds", .gauge, help: "Seconds since the procd daemon started.",
                   value: Double((Clock.now() - startup.startedAt).milliseconds) / 1000)
        out.family("procd_daemon_processes", .gauge, help: "Process slots in the daemon's table.", value: Double(table.processCount))
        return out.text
    }
}

extension ListenAddress {
    /// Whether only this machine can reach the address.
    var isLoopback: Bool {
        guard let host else { return false }
        return host == "localhost" || host == "::1" || host.hasPrefix("127.")
    }
}
