import ProcdCore
import ProcdPlatform
import ProcdWire

/// `procctl events`: every lifecycle event of the chosen processes as it happens, one
/// readable line each, or one JSON object a line with --json, until interrupted.
struct EventsCommand {
    let console: Console

    func run(_ parsed: ParsedArguments, client: DaemonClient) throws -> Int32 {
        var args: JSONObject = [:]
        if !parsed.operands.isEmpty { args["targets"] = .array(parsed.operands.map { .string($0) }) }
        let id = try client.send(.events, args)
        let json = parsed.has("json")
        let offset = Clock.localTime(millisecondsSinceEpoch: Clock.wallMilliseconds()).utcOffset
        let closed = "procd closed the event stream (it stopped, or this reader fell too far behind); run the command again"
        return try client.readEvents(of: id, closed: closed) { payload in
            if payload["subscribed"]?.boolValue == true {
                // On stderr, so it never mixes with the events a script reads; it tells
                // the script that nothing from now on will be missed.
                console.err("procctl: watching events; Ctrl-C to stop\n")
                return
            }
            guard let event = ProcessEvent(json: payload) else { return }
            console.out(json ? payload.serialized() + "\n" : event.humanLine(utcOffsetSeconds: Int(offset)) + "\n")
        }
    }
}
