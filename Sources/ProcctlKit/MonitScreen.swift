import ProcdCore

/// The `monit` screen as text: pure, so it can be tested without a terminal.
struct MonitScreen {
    /// The last minute of samples for one process.
    struct History {
        var cpu: [Double] = []
        var memory: [Int64] = []
        static let length = 60

        mutating func record(cpu value: Double, memory bytes: Int64) {
            cpu.append(value)
            memory.append(bytes)
            if cpu.count > Self.length { cpu.removeFirst(cpu.count - Self.length) }
            if memory.count > Self.length { memory.removeFirst(memory.count - Self.length) }
        }
    }

    var processes: [ProcessSnapshot]
    var histories: [Int: History]
    var selected: Int
    var logLines: [String]
    var rows: Int
    var columns: Int
    var color: Bool
    var message: String?

    static let bars: [Character] = ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]

    static func sparkline(_ values: [Double], width: Int, ceiling: Double? = nil) -> String {
        guard width > 0 else { return "" }
        let recent = Array(values.suffix(width))
        let top = max(ceiling ?? (recent.max() ?? 0), 0.000_001)
        let line = recent.map { value -> Character in
            let index = Int((max(value, 0) / top * Double(bars.count - 1)).rounded())
            return bars[min(max(index, 0), bars.count - 1)]
        }
        return String(repeating: " ", count: width - line.count) + String(line)
    }

    private func paint(_ text: String, _ style: String) -> String {
        color ? "\u{1B}[\(style)m\(text)\u{1B}[0m" : text
    }

    private func fit(_ text: String, _ width: Int) -> String {
        if text.count > width { return String(text.prefix(max(width - 1, 0))) + (width > 0 ? "…" : "") }
        return text + String(repeating: " ", count: width - text.count)
    }

    /// The whole screen, one string, each line cut to the width.
    func render() -> String {
        var lines: [String] = []
        let title = "procd monit  \(processes.count) process(es)   ↑/↓ j/k select  r restart  s stop  q quit"
        lines.append(paint(fit(title, columns), "1;7"))
        // Fixed columns take 64 cells; the two sparklines share what is left.
        let spark = max(0, min(20, (columns - 65) / 2))
        let styleRows = color && columns >= 64
        var header = " " + fit("id", 4) + fit("name", 14) + fit("status", 10) + fit("pid", 8) + fit("uptime", 7) + fit("↺", 4)
        header += fit("cpu", 7) + (spark > 0 ? fit("", spark + 1) : "") + fit("memory", 9) + (spark > 0 ? fit("", spark) : "")
        lines.append(paint(fit(header, columns), "1"))
        let listRows = max(3, min(processes.count, rows / 2 - 2))
        let first = max(0, min(selected - listRows + 1, processes.count - listRows))
        for (index, p) in processes.enumerated().dropFirst(first).prefix(listRows) {
            let running = p.pid != nil
            var line = (index == selected ? ">" : " ") + fit(String(p.id), 4) + fit(p.name, 14)
            let status = fit(p.status.rawValue, 10)
            let styled = styleRows ? paint(status, Views.style(p.status)) : status
            line += styled + fit(p.pid.map(String.init) ?? "-", 8) + fit(p.uptimeMilliseconds.map(Format.uptime) ?? "-", 7)
            line += fit(String(p.restarts), 4) + fit(running ? Format.percent(p.cpu) : "-", 7)
            let history = histories[p.id] ?? History()
            if spark > 0 { line += paint(Self.sparkline(history.cpu, width: spark, ceiling: 100), "32") + " " }
            line += fit(running ? Format.bytes(p.memory) : "-", 9)
            if spark > 0 { line += paint(Self.sparkline(history.memory.map(Double.init), width: spark), "36") }
            lines.append(styleRows ? line : fit(line, columns))
        }
        if processes.isEmpty { lines.append(" no processes; start one with 'procctl start <script>'") }
        if processes.indices.contains(selected) {
            let p = processes[selected]
            lines.append(paint(fit("── \(p.name) (id \(p.id)) ", columns).replacingOccurrences(of: "  ", with: "──"), "1"))
            lines.append(fit(" status \(p.status.rawValue)   pid \(p.pid.map(String.init) ?? "-")   restarts \(p.restarts)   last reason \(p.reason ?? "-")", columns))
            lines.append(fit(" command \(p.command.joined(separator: " "))", columns))
            lines.append(fit(" cwd \(p.cwd)   log \(p.outLog)", columns))
            if let message { lines.append(paint(fit(" " + message, columns), "33")) }
            let room = max(0, rows - lines.count - 1)
            lines.append(paint(fit("── log ", columns).replacingOccurrences(of: "  ", with: "──"), "90"))
            for line in logLines.suffix(room) { lines.append(fit(line.replacingTabs(), columns)) }
        }
        return lines.prefix(rows).joined(separator: "\r\n")
    }
}

extension String {
    func replacingOccurrences(of target: String, with replacement: String) -> String {
        guard !target.isEmpty else { return self }
        var out = ""
        var rest = Substring(self)
        while let range = rest.firstRange(of: target) {
            out += rest[..<range.lowerBound] + replacement
            rest = rest[range.upperBound...]
        }
        return out + rest
    }

    func replacingTabs() -> String {
        String(map { $0 == "\t" || $0 == "\r" ? " " : $0 }).filter { !($0.asciiValue.map { $0 < 0x20 } ?? false) }
    }
}
