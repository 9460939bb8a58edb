import ProcdCore
import ProcdPlatform
import ProcdWire

extension Daemon {
    /// The Prometheus exposition of every process and of the daemon itself.
    func metricsText() -> String {
        let all = processes.values.sorted { $0.id < $1.id }
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
        out.family("procd_process_restarts_total", .counter, help: "Restarts of the process slot, manual or automatic.",
                   perProcess { _, s in Double(s.restarts) })
        out.family("procd_process_unstable_restarts", .gauge, help: "Restarts in a row within min_uptime.",
                   perProcess { _, s in Double(s.unstableRestarts) })
        out.family("procd_process_cpu_seconds_total", .counter, help: "CPU time used by the running process tree.",
                   perProcess { p, _ in p.pid == nil ? nil : p.cpuSample.map { Double($0.ticks) / Double(ProcFS.ticksPerSecond) } })
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
                       [(row.labels + [("stream", "out")], Double(row.process.logBytes.out)),
                        (row.labels + [("stream", "err")], Double(row.process.logBytes.err))]
                   })
        out.family("procd_build_info", .gauge, help: "The running procd's version.", [([("version", ProcdVersion.current)], 1)])
        out.family("procd_daemon_resident_memory_bytes", .gauge, help: "Resident memory of the procd daemon.",
                   value: Double(ProcFS.selfResidentBytes()))
        out.family("procd_daemon_open_fds", .gauge, help: "Descriptors the procd daemon holds open.",
                   value: Double(File.list("/proc/self/fd").count))
        out.family("procd_daemon_clients", .gauge, help: "Clients connected to the control socket and the HTTP listener.",
                   value: Double(connections.count + (http?.clientCount ?? 0)))
        out.family("procd_daemon_uptime_seconds", .gauge, help: "Seconds since the procd daemon started.",
                   value: Double((Clock.now() - startedAt).milliseconds) / 1000)
        out.family("procd_daemon_processes", .gauge, help: "Process slots in the daemon's table.", value: Double(processes.count))
        return out.text
    }

    /// Opens the HTTP listener. Off loopback, every request needs the token in `web.token`
    /// (made when missing); on loopback too once that file exists.
    func openHTTP(_ address: ListenAddress) throws(SystemError) {
        let token = address.isLoopback ? savedWebToken() : try webToken()
        let server = try HTTPServer(address: address, bearerToken: token, epoll: epoll, makeToken: { [unowned self] in self.makeToken() }) {
            [unowned self] request in
            guard request.path == "/metrics" else { return nil }
            return HTTPResponse(status: 200, contentType: "text/plain; version=0.0.4; charset=utf-8", body: self.metricsText())
        }
        server.onWarning = { [unowned self] message in self.log.warning(message) }
        http = server
        log.info("serving http on \(address) (port \(server.port ?? address.port))\(token == nil ? "" : "; requests need the token in \(home.root)/web.token")")
    }

    /// The token in `web.token`, made (random, mode 0600) when the file is missing.
    private func webToken() throws(SystemError) -> String {
        if let saved = savedWebToken() { return saved }
        let token = try File.randomBytes(24).map { byte in
            let hex = Array("0123456789abcdef")
            return String([hex[Int(byte >> 4)], hex[Int(byte & 15)]])
        }.joined()
        try File.writeAtomically(webTokenPath, token + "\n", mode: 0o600)
        return token
    }

    private var webTokenPath: String { home.root + "/web.token" }

    private func savedWebToken() -> String? {
        guard let bytes = try? File.read(webTokenPath, limit: 4096) else { return nil }
        let text = String(decoding: bytes, as: UTF8.self).trimmingCharacters(in: " \n\r\t")
        return text.isEmpty ? nil : text
    }
}

extension String {
    fileprivate func trimmingCharacters(in set: String) -> String {
        String(drop { set.contains($0) }.reversed().drop { set.contains($0) }.reversed())
    }
}

extension ListenAddress {
    /// Whether only this machine can reach the address.
    var isLoopback: Bool {
        guard let host else { return false }
        return host == "localhost" || host == "::1" || host.hasPrefix("127.")
    }
}
