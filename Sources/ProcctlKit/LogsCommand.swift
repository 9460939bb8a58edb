import ProcdCore
import ProcdPlatform
import ProcdWire

/// `procctl logs`: the last lines of each chosen app's log files, prefixed `ID|NAME|`.
struct LogsCommand {
    let console: Console
    let home: ProcdHome

    static let palette = ["36", "35", "34", "33", "32", "96", "95", "94"]

    func run(_ parsed: ParsedArguments, client: DaemonClient) throws -> Int32 {
        let lines = try parsed.value("lines").map { text throws(UsageError) -> Int in
            guard let n = Int(text), n >= 0 else { throw UsageError("--lines expects a whole number, got '\(text)'") }
            return n
        } ?? 15
        let targets = parsed.operands.isEmpty ? ["all"] : parsed.operands
        let result = try client.call(.logPaths, ["targets": .array(targets.map { .string($0) })])
        let processes = (result.arrayValue ?? []).compactMap(ProcessSnapshot.init(json:))
        var streams: [String] = []
        if !parsed.has("err") { streams.append("out") }
        if !parsed.has("out") { streams.append("err") }
        var seen = Set<String>()
        var colorIndex: [String: Int] = [:]
        for p in processes {
            for stream in streams {
                let path = stream == "out" ? p.outLog : p.errLog
                guard seen.insert(path).inserted else { continue }
                let index = colorIndex[p.name] ?? colorIndex.count
                colorIndex[p.name] = index
                printTail(path: path, lines: lines, prefix: "\(p.id)|\(p.name)|",
                          style: stream == "err" ? "31" : Self.palette[index % Self.palette.count], raw: parsed.has("raw"))
            }
        }
        if parsed.operands.isEmpty {
            printTail(path: home.daemonLog, lines: lines, prefix: "procd|", style: "90", raw: parsed.has("raw"))
        }
        return 0
    }

    private func printTail(path: String, lines: Int, prefix: String, style: String, raw: Bool) {
        guard let text = try? File.tail(path, lines: lines), !text.isEmpty else { return }
        if !raw { console.out(console.paint("\(path) (last \(text.count) lines):", "90") + "\n") }
        var out = ""
        for line in text { out += (raw ? "" : console.paint(prefix, style)) + line + "\n" }
        console.out(out)
    }
}
