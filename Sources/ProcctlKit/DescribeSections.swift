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
            ("Process", processRows), ("Command", commandRows + rows(.running)), ("Restart policy", rows(.policy)),
            ("Readiness and ports", readinessRows + rows(.readiness)), ("Stack", rows(.stack) + stackRows),
            ("Health", rows(.health)), ("Logs", logRows + rows(.logs)), ("Identity", rows(.identity)),
            ("Environment", environmentRows),
        ]
    }

    /// The rows of a group's attributes, as the table declares them.
    private func rows(_ group: AttributeGroup) -> [(String, String)] {
        AppAttributes.all.filter { $0.group == group && $0.display != .withTheProcess }.map { ($0.label, shown($0)) }
    }

    private func shown(_ attribute: AppAttribute) -> String {
        if attribute.key == "balance" {
            // Meaningless outside cluster mode; round-robin when not asked.
            return value("exec_mode") == ExecMode.cluster.rawValue ? app["balance"]?.stringValue ?? Balance.standard.rawValue : "-"
        }
        switch attribute.display {
        case .text, .withTheProcess: return value(attribute.key)
        case .milliseconds: return ms(attribute.key)
        case .bytes: return app[attribute.key]?.intValue.map { Format.bytes(Int64($0)) } ?? "-"
        case .probe: return probe(attribute.key)
        case .dependencies: return dependencies.isEmpty ? "-" : dependencies.map(\.description).joined(separator: ", ")
        }
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
            ("interpreter", value("interpreter")), ("cwd", p.cwd),
        ]
    }

    private var readinessRows: [(String, String)] {
        [
            ("ports", p.ports.isEmpty ? "-" : p.ports.map(String.init).joined(separator: ", ")),
            ("ready signal", item["ready_signal"]?.stringValue ?? "-"),
            ("not ready", p.notReady ?? "-"), ("status text", item["status_text"]?.stringValue ?? "-"),
            ("ipc channel", item["ipc"]?.boolValue == true ? "yes (Node)" : "no"),
            ("last message", item["last_message"]?.serialized() ?? "-"),
        ]
    }

    private var stackRows: [(String, String)] {
        [("probe ready", p.ready.map { $0 ? "yes" : "no" } ?? "-")]
    }

    private var logRows: [(String, String)] {
        [
            ("out log", p.outLog), ("err log", p.errLog),
        ]
    }

    private var environmentRows: [(String, String)] {
        [
            ("keys", (app["env"]?.arrayValue?.compactMap(\.stringValue) ?? []).joined(separator: ", ")),
        ]
    }
}
