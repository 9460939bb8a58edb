import ProcdCore
import ProcdWire

/// Renders processes for people: the `list` table and `describe` sections.
struct Views {
    let console: Console

    func paintStatus(_ status: ProcessStatus) -> String {
        console.paint(status.rawValue, Self.style(status))
    }

    static func style(_ status: ProcessStatus) -> String {
        switch status {
        case .online: "32"
        case .launching, .waiting, .stopping: "33"
        case .stopped: "90"
        case .errored: "31"
        }
    }

    func list(_ result: JSON, json: Bool, sort: String?) throws(UsageError) -> Int32 {
        let items = result.arrayValue ?? []
        if json {
            console.out(JSON.array(items).serialized() + "\n")
            return 0
        }
        var processes = items.compactMap(ProcessSnapshot.init(json:))
        switch sort {
        case nil, "id": break
        case "name": processes.sort { ($0.name, $0.id) < ($1.name, $1.id) }
        case "cpu": processes.sort { $0.cpu > $1.cpu }
        case "memory", "mem": processes.sort { $0.memory > $1.memory }
        case "uptime": processes.sort { ($0.uptimeMilliseconds ?? -1) > ($1.uptimeMilliseconds ?? -1) }
        case "restarts": processes.sort { $0.restarts > $1.restarts }
        case let other?: throw UsageError("--sort expects name, id, cpu, memory, uptime or restarts, got '\(other)'")
        }
        var table = Table(columns: [
            .init("id", rightAligned: true), .init("name", truncatable: true), .init("namespace", truncatable: true),
            .init("pid", rightAligned: true), .init("uptime", rightAligned: true), .init("↺", rightAligned: true),
            .init("status"), .init("cpu", rightAligned: true), .init("memory", rightAligned: true),
        ])
        for p in processes {
            let running = p.pid != nil
            table.rows.append([
                .init(String(p.id)), .init(p.name, style: "36"), .init(p.namespace),
                .init(p.pid.map(String.init) ?? "-"),
                .init(p.uptimeMilliseconds.map(Format.uptime) ?? "-"),
                .init(String(p.restarts)),
                .init(p.status.rawValue, style: Self.style(p.status)),
                .init(running ? Format.percent(p.cpu) : "-"),
                .init(running ? Format.bytes(p.memory) : "-"),
            ])
        }
        console.out(table.render(width: console.width, color: console.color))
        return 0
    }

    func describe(_ items: [JSON], json: Bool) -> Int32 {
        if json {
            console.out(JSON.array(items).serialized(pretty: true) + "\n")
            return 0
        }
        for (index, item) in items.enumerated() {
            guard let p = ProcessSnapshot(json: item) else { continue }
            if index > 0 { console.out("\n") }
            let app = item["app"]
            var rows: [(String, String)] = [
                ("status", paintStatus(p.status)),
                ("name", p.name),
                ("id", String(p.id)),
                ("namespace", p.namespace),
                ("instance", String(p.instance)),
                ("pid", p.pid.map(String.init) ?? "-"),
                ("command", p.command.joined(separator: " ")),
                ("interpreter", app?["interpreter"]?.stringValue ?? "none"),
                ("cwd", p.cwd),
                ("uptime", p.uptimeMilliseconds.map(Format.uptime) ?? "-"),
                ("started at", p.startedAtMilliseconds.map { Format.iso8601(millisecondsSinceEpoch: $0) } ?? "-"),
                ("restarts", String(p.restarts)),
                ("unstable restarts", String(p.unstableRestarts)),
                ("last reason", p.reason ?? "-"),
                ("exit code", p.exitCode.map(String.init) ?? "-"),
                ("exit signal", p.exitSignal ?? "-"),
                ("cpu", Format.percent(p.cpu)),
                ("memory", Format.bytes(p.memory)),
                ("out log", p.outLog),
                ("err log", p.errLog),
            ]
            if let app {
                for key in ["autorestart", "max_restarts", "min_uptime", "restart_delay", "exp_backoff_restart_delay",
                            "stop_exit_codes", "kill_signal", "kill_timeout"] {
                    if let value = app[key] { rows.append((key.replacingUnderscores(), value.serialized())) }
                }
                let keys = app["env"]?.arrayValue?.compactMap(\.stringValue) ?? []
                rows.append(("env keys", keys.isEmpty ? "-" : keys.joined(separator: ", ")))
            }
            let width = rows.map(\.0.count).max() ?? 0
            console.out(console.paint("\(p.name) (id \(p.id))", "1") + "\n")
            for (key, value) in rows {
                console.out("  " + key + String(repeating: " ", count: width - key.count) + "  " + value + "\n")
            }
        }
        return 0
    }
}

extension String {
    func replacingUnderscores() -> String { String(map { $0 == "_" ? " " : $0 }) }
}
