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
        // From several hosts (`--host` twice or more) each item says whose it is.
        var rows: [(host: String?, p: ProcessSnapshot)] = items.compactMap { item in
            ProcessSnapshot(json: item).map { (item["host"]?.stringValue, $0) }
        }
        let byHost = rows.contains { $0.host != nil }
        switch sort {
        case nil, "id": if byHost { rows.sort { ($0.host ?? "", $0.p.id) < ($1.host ?? "", $1.p.id) } }
        case "name": rows.sort { ($0.p.name, $0.host ?? "", $0.p.id) < ($1.p.name, $1.host ?? "", $1.p.id) }
        case "cpu": rows.sort { $0.p.cpu > $1.p.cpu }
        case "memory", "mem": rows.sort { $0.p.memory > $1.p.memory }
        case "uptime": rows.sort { ($0.p.uptimeMilliseconds ?? -1) > ($1.p.uptimeMilliseconds ?? -1) }
        case "restarts": rows.sort { $0.p.restarts > $1.p.restarts }
        case let other?: throw UsageError("--sort expects name, id, cpu, memory, uptime or restarts, got '\(other)'")
        }
        var table = Table(columns: (byHost ? [Table.Column("host", truncatable: true)] : []) + [
            .init("id", rightAligned: true), .init("name", truncatable: true), .init("namespace", truncatable: true),
            .init("pid", rightAligned: true), .init("uptime", rightAligned: true), .init("↺", rightAligned: true),
            .init("status"), .init("cpu", rightAligned: true), .init("memory", rightAligned: true),
        ])
        for (host, p) in rows {
            let running = p.pid != nil
            table.rows.append((byHost ? [Table.Cell(host ?? "")] : []) + [
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
