import ProcdCore
import ProcdWire

extension Views {
    /// `describe`: everything about each process, in sections.
    func describe(_ items: [JSON], json: Bool) -> Int32 {
        if json {
            console.out(JSON.array(items).serialized(pretty: true) + "\n")
            return 0
        }
        for (index, item) in items.enumerated() {
            guard let p = ProcessSnapshot(json: item) else { continue }
            if index > 0 { console.out("\n") }
            let app = item["app"] ?? .null
            func value(_ key: String) -> String {
                guard let v = app[key], v != .null else { return "-" }
                return v.stringValue ?? v.serialized()
            }
            func ms(_ key: String) -> String { app[key]?.intValue.map { "\($0) ms" } ?? "-" }
            func probe(_ key: String) -> String {
                guard let json = app[key], json != .null, case .success(let probe) = Probe.parse(json, field: key) else { return "-" }
                return probe.summary
            }
            let dependencies = app["depends_on"].flatMap { try? Dependency.parse($0).get() } ?? []
            let sections: [(String, [(String, String)])] = [
                ("Process", [
                    ("status", paintStatus(p.status)), ("id", String(p.id)), ("name", p.name), ("namespace", p.namespace),
                    ("instance", String(p.instance)), ("pid", p.pid.map(String.init) ?? "-"),
                    ("uptime", p.uptimeMilliseconds.map(Format.uptime) ?? "-"),
                    ("created at", item["created_at"]?.stringValue ?? "-"),
                    ("started at", p.startedAtMilliseconds.map { Format.iso8601(millisecondsSinceEpoch: $0) } ?? "-"),
                    ("restarts", String(p.restarts)), ("unstable restarts", String(p.unstableRestarts)),
                    ("last reason", p.reason ?? "-"),
                    ("exit code", p.exitCode.map(String.init) ?? "-"), ("exit signal", p.exitSignal ?? "-"),
                    ("cpu", Format.percent(p.cpu)), ("memory", Format.bytes(p.memory)),
                    ("outside its group", outsideGroup(item["outside_group"]?.arrayValue ?? [])),
                ]),
                ("Command", [
                    ("command", p.command.joined(separator: " ")), ("script", value("script")),
                    ("interpreter", value("interpreter")), ("exec mode", value("exec_mode")),
                    ("balance", value("exec_mode") == ExecMode.cluster.rawValue ? app["balance"]?.stringValue ?? Balance.standard.rawValue : "-"),
                    ("cwd", p.cwd),
                ]),
                ("Restart policy", [
                    ("autorestart", value("autorestart")), ("max restarts", value("max_restarts")),
                    ("min uptime", ms("min_uptime")), ("restart delay", ms("restart_delay")),
                    ("exp backoff delay", ms("exp_backoff_restart_delay")), ("stop exit codes", value("stop_exit_codes")),
                    ("kill signal", value("kill_signal")), ("kill timeout", ms("kill_timeout")),
                ]),
                ("Readiness and ports", [
                    ("ports", p.ports.isEmpty ? "-" : p.ports.map(String.init).joined(separator: ", ")),
                    ("ready signal", item["ready_signal"]?.stringValue ?? "-"), ("wait ready", value("wait_ready")),
                    ("not ready", p.notReady ?? "-"),
                    ("listen timeout", ms("listen_timeout")), ("status text", item["status_text"]?.stringValue ?? "-"),
                    ("ipc channel", item["ipc"]?.boolValue == true ? "yes (Node)" : "no"),
                    ("last message", item["last_message"]?.serialized() ?? "-"),
                ]),
                ("Stack", [
                    ("depends on", dependencies.isEmpty ? "-" : dependencies.map(\.description).joined(separator: ", ")),
                    ("ready log line", value("ready_log_line")),
                    ("readiness probe", probe("readiness_probe")), ("liveness probe", probe("liveness_probe")),
                ]),
                ("Health", [
                    ("watchdog", ms("watchdog")), ("health url", value("health_url")),
                    ("health interval", ms("health_interval")), ("health retries", value("health_retries")),
                    ("max memory", app["max_memory_restart"]?.intValue.map { Format.bytes(Int64($0)) } ?? "-"),
                    ("cron restart", value("cron_restart")), ("watch", value("watch")), ("ignore watch", value("ignore_watch")),
                ]),
                ("Logs", [
                    ("out log", p.outLog), ("err log", p.errLog), ("timestamps", value("time")),
                    ("date format", value("log_date_format")), ("max size", app["log_max_size"]?.intValue.map { Format.bytes(Int64($0)) } ?? "-"),
                    ("retain", value("log_retain")),
                ]),
                ("Environment", [
                    ("keys", (app["env"]?.arrayValue?.compactMap(\.stringValue) ?? []).joined(separator: ", ")),
                ]),
            ]
            let width = sections.flatMap { $0.1.map(\.0.count) }.max() ?? 0
            console.out(console.paint("\(p.name) (id \(p.id))", "1") + "\n")
            for (title, rows) in sections {
                console.out(console.paint(title, "1;4") + "\n")
                for (key, text) in rows {
                    console.out("  " + key + String(repeating: " ", count: width - key.count) + "  " + text + "\n")
                }
            }
            // What the process said last before it exited: usually why it did.
            let tail = item["stderr_tail"]?.arrayValue?.compactMap(\.stringValue) ?? []
            console.out(console.paint("Last stderr lines before the exit", "1;4") + "\n")
            console.out(tail.isEmpty ? "  -\n" : tail.map { "  | " + $0 + "\n" }.joined())
        }
        return 0
    }

    /// Descendants that left the process group (setsid, double fork): pid and memory.
    private func outsideGroup(_ items: [JSON]) -> String {
        guard !items.isEmpty else { return "-" }
        return items.map { "pid \($0["pid"]?.intValue ?? 0) (\(Format.bytes(Int64($0["memory"]?.intValue ?? 0))))" }
            .joined(separator: ", ")
    }
}
