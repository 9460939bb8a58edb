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
}

extension String {
    func replacingUnderscores() -> String { String(map { $0 == "_" ? " " : $0 }) }
}
