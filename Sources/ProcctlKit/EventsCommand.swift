import ProcdCore
import ProcdPlatform
import ProcdWire

/// `procctl events`: every lifecycle event of the chosen processes as it happens, one
/// readable line each, or one JSON object a line with --json, until interrupted; across
/// a daemon restart it subscribes again (see `Reconnector`).
struct EventsCommand {
    let console: Console

    func run(_ parsed: ParsedArguments, client: DaemonClient, reconnect: Reconnector) throws -> Int32 {
        var args: JSONObject = [:]
        if !parsed.operands.isEmpty { args["targets"] = .array(parsed.operands.map { .string($0) }) }
        let json = parsed.has("json")
        let offset = Clock.localTime(millisecondsSinceEpoch: Clock.wallMilliseconds()).utcOffset
        let closed = "procd closed the event stream: it stopped or restarted, or this reader fell too far behind"
        var shutDown = false
        return try reconnect.run(first: client, shutDown: { shutDown }) { client, _ in
            let id = try client.send(.events, args)
            return try client.readEvents(of: id, closed: closed) { payload in
                if payload["subscribed"]?.boolValue == true {
                    // On stderr, so it never mixes with the events a script reads; it tells
                    // the script that nothing from now on will be missed.
                    console.err("procctl: watching events; Ctrl-C to stop\n")
                    return
                }
                guard let event = ProcessEvent(json: payload) else { return }
                if event.kind == .daemon { shutDown = event.details["action"]?.stringValue == "shutdown" }
                console.out(json ? payload.serialized() + "\n" : event.humanLine(utcOffsetSeconds: Int(offset)) + "\n")
            }
        }
    }
}
