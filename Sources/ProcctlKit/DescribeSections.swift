import ProcdCore

/// The sections `describe` prints for one process, each a list of labelled values.
struct DescribeSections {
    let process: ProcessSnapshot
    /// The process as `describe --json` has it, its app's definition under `app`.
    let item: JSON
    /// The status, painted for the terminal.
    let status: String

    init(process: ProcessSnapshot, item: JSON, status: String) {
        self.process = process
        self.item = item
        self.status = status
    }

    private var app: JSON { item["app"] ?? .null }
    private var p: ProcessSnapshot { process }

    var all: [(String, [(String, String)])] {
        [
            ("Process", processRows), ("Command", commandRows), ("Restart policy", policyRows),
            ("Readiness and ports", readinessRows), ("Stack", stackRows), ("Health", healthRows), ("Logs", logRows),
            ("Environment", environmentRows),
        ]
    }

    private func value(_ key: String) -> String {
        guard let v = app[key], v != .null else { return "-" }
        return v.stringValue ?? v.serialized()
    }

    private func ms(_ key: String) -> String { app[key]?.intValue.map { "\($0) ms" } ?? "-" }

    private func probe(_ key: String) -> String {
        guard let json = app[key], json != .null, case .success(let probe) = Probe.parse(json, field: key) else { return "-" }
        return probe.summary
    }

    private var dependencies: [Dependency] { app["depends_on"].flatMap { try? Dependency.parse($0).get() } ?? [] }

    /// Descendants that left the process group (setsid, double fork): pid and memory.
    private func outsideGroup(_ items: [JSON]) -> String {
        guard !items.isEmpty else { return "-" }
        return items.map { "pid \($0["pid"]?.intValue ?? 0) (\(Format.bytes(Int64($0["memory"]?.intValue ?? 0))))" }
            .joined(separator: ", ")
    }

    private var processRows: [(String, String)] {
        [
            ("status", status), ("id", String(p.id)), ("name", p.name), ("namespace", p.namespace),
            ("instance", String(p.instance)), ("pid", p.pid.map(String.init) ?? "-"),
            ("uptime", p.uptimeMilliseconds.map(Format.uptime) ?? "-"),
            ("created at", item["created_at"]?.stringValue ?? "-"),
            ("started at", p.startedAtMilliseconds.map { Format.iso8601(millisecondsSinceEpoch: $0) } ?? "-"),
            ("restarts", String(p.restarts)), ("unstable restarts", String(p.unstableRestarts)),
            ("last reason", p.reason ?? "-"),
            ("exit code", p.exitCode.map(String.init) ?? "-"), ("exit signal", p.exitSignal ?? "-"),
            ("cpu", Format.percent(p.cpu)), ("memory", Format.bytes(p.memory)),
            ("outside its group", outsideGroup(item["outside_group"]?.arrayValue ?? [])),
        ]
    }

    private var commandRows: [(String, String)] {
        [
            ("command", p.command.joined(separator: " ")), ("script", value("script")),
            ("interpreter", value("interpreter")), ("exec mode", value("exec_mode")),
            ("balance", value("exec_mode") == ExecMode.cluster.rawValue ? app["balance"]?.stringValue ?? Balance.standard.rawValue : "-"),
            ("cwd", p.cwd),
        ]
    }

    private var policyRows: [(String, String)] {
        [
            ("autorestart", value("autorestart")), ("max restarts", value("max_restarts")),
            ("min uptime", ms("min_uptime")), ("restart delay", ms("restart_delay")),
            ("exp backoff delay", ms("exp_backoff_restart_delay")), ("stop exit codes", value("stop_exit_codes")),
            ("kill signal", value("kill_signal")), ("kill timeout", ms("kill_timeout")),
        ]
    }

    private var readinessRows: [(String, String)] {
        [
            ("ports", p.ports.isEmpty ? "-" : p.ports.map(String.init).joined(separator: ", ")),
            ("ready signal", item["ready_signal"]?.stringValue ?? "-"), ("wait ready", value("wait_ready")),
            ("not ready", p.notReady ?? "-"),
            ("listen timeout", ms("listen_timeout")), ("status text", item["status_text"]?.stringValue ?? "-"),
            ("ipc channel", item["ipc"]?.boolValue == true ? "yes (Node)" : "no"),
            ("last message", item["last_message"]?.serialized() ?? "-"),
        ]
    }

    private var stackRows: [(String, String)] {
        [
            ("depends on", dependencies.isEmpty ? "-" : dependencies.map(\.description).joined(separator: ", ")),
            ("ready log line", value("ready_log_line")),
            ("readiness probe", probe("readiness_probe")),
            ("probe ready", p.ready.map { $0 ? "yes" : "no" } ?? "-"),
            ("liveness probe", probe("liveness_probe")),
        ]
    }

    private var healthRows: [(String, String)] {
        [
            ("watchdog", ms("watchdog")), ("health url", value("health_url")),
            ("health interval", ms("health_interval")), ("health retries", value("health_retries")),
            ("max memory", app["max_memory_restart"]?.intValue.map { Format.bytes(Int64($0)) } ?? "-"),
            ("cron restart", value("cron_restart")), ("watch", value("watch")), ("ignore watch", value("ignore_watch")),
        ]
    }

    private var logRows: [(String, String)] {
        [
            ("out log", p.outLog), ("err log", p.errLog), ("timestamps", value("time")),
            ("date format", value("log_date_format")), ("max size", app["log_max_size"]?.intValue.map { Format.bytes(Int64($0)) } ?? "-"),
            ("retain", value("log_retain")),
        ]
    }

    private var environmentRows: [(String, String)] {
        [
            ("keys", (app["env"]?.arrayValue?.compactMap(\.stringValue) ?? []).joined(separator: ", ")),
        ]
    }
}
