import ProcdCore
import ProcdPlatform
import ProcdWire

/// `procctl logs`: the last lines of the chosen processes' logs, then (with -f) every new
/// line as procd writes it. Each line is prefixed `ID|NAME|` unless --raw; --json prints
/// one object per line. Following, it resumes across a daemon restart (`Reconnector`),
/// with no lines repeated.
struct LogsCommand {
    let console: Console

    static let palette = ["36", "35", "34", "33", "32", "96", "95", "94"]

    func run(_ parsed: ParsedArguments, client: DaemonClient, reconnect: Reconnector) throws -> Int32 {
        let lines = try parsed.value("lines").map { text throws(UsageError) -> Int in
            guard let n = Int(text), n >= 0 else { throw UsageError("--lines expects a whole number, got '\(text)'") }
            return n
        } ?? 15
        if parsed.has("out") && parsed.has("err") { throw UsageError("--out and --err exclude each other; give neither for both") }
        var streams: [JSON] = []
        if !parsed.has("err") { streams.append(.string("out")) }
        if !parsed.has("out") { streams.append(.string("err")) }
        let follow = parsed.has("follow")
        var args: JSONObject = ["lines": .int(lines), "streams": .array(streams), "follow": .bool(follow)]
        if !parsed.operands.isEmpty { args["targets"] = .array(parsed.operands.map { .string($0) }) }
        var colors: [String: String] = [:]
        let closed = follow
            ? "procd closed the log stream: it stopped or restarted, or this reader fell too far behind"
            : "procd closed the connection before answering"
        let stream = { (client: DaemonClient, resumed: Bool) throws -> Int32 in
            var request = args
            if resumed { request["lines"] = .int(0) }      // what was printed stays printed once
            let id = try client.send(.logs, request)
            return try client.readEvents(of: id, closed: closed) { event in
                print(event, raw: parsed.has("raw"), json: parsed.has("json"), timestamp: timestampFormat(parsed), colors: &colors)
            }
        }
        guard follow else {
            do {
                return try stream(client, false)
            } catch let ended as StreamEnded {
                throw CommandFailure(ended.message)
            }
        }
        return try reconnect.run(first: client, shutDown: { false }, stream)
    }

    /// `--timestamp [FORMAT]`: nil without it, "" for ISO-8601 UTC.
    private func timestampFormat(_ parsed: ParsedArguments) -> String? {
        guard parsed.values["timestamp"] != nil || parsed.has("timestamp") else { return nil }
        return parsed.value("timestamp") ?? ""
    }

    /// When procd received the line, in `format`; lines read back from a file carry no
    /// time, and get blanks of the same width so the columns stay aligned.
    private func stamp(_ event: JSON, format: String) -> String {
        let now = Clock.wallMilliseconds()
        let width = (format.isEmpty ? Format.iso8601(millisecondsSinceEpoch: now)
            : LogDateFormat.render(format, Clock.localTime(millisecondsSinceEpoch: now))).count
        guard let text = event["time"]?.stringValue, let ms = Format.parseISO8601(text) else {
            return String(repeating: " ", count: width) + " "
        }
        return (format.isEmpty ? text : LogDateFormat.render(format, Clock.localTime(millisecondsSinceEpoch: ms))) + " "
    }

    private func print(_ event: JSON, raw: Bool, json: Bool, timestamp: String?, colors: inout [String: String]) {
        let line = (timestamp.map { stamp(event, format: $0) } ?? "") + (event["line"]?.stringValue ?? "")
        if json {
            console.out(event.serialized() + "\n")
            return
        }
        if raw {
            console.out(line + "\n")
            return
        }
        let name = event["name"]?.stringValue ?? "?"
        let prefix = event["id"]?.intValue.map { "\($0)|\(name)| " } ?? "\(name)| "
        let style: String
        if event["stream"]?.stringValue == "err" {
            style = "31"
        } else if event["stream"]?.stringValue == "daemon" {
            style = "90"
        } else {
            style = colors[name] ?? Self.palette[colors.count % Self.palette.count]
            colors[name] = style
        }
        console.out(console.paint(prefix, style) + line + "\n")
    }
}
