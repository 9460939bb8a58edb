/// One lifecycle event as `procctl events` and the wire subscription carry it.
public struct ProcessEvent: Equatable, Sendable {
    /// The SPEC's event names.
    public enum Kind: String, Sendable, CaseIterable {
        case start, online, ready, exit, restart, stopping, stopped, errored, waiting
        case health, watchdog, memory, reload, scale, daemon
    }

    public var kind: Kind
    /// Wall clock, milliseconds since the epoch.
    public var time: Int64
    public var app: String
    public var namespace: String
    public var id: Int?
    public var instance: Int?
    public var pid: Int32?
    /// What else applies: `code`, `signal`, `reason`, `uptime_ms`, `stderr_tail`, …
    public var details: JSONObject

    public init(_ kind: Kind, time: Int64, app: String, namespace: String = "default", id: Int? = nil,
                instance: Int? = nil, pid: Int32? = nil, details: JSONObject = [:]) {
        self.kind = kind
        self.time = time
        self.app = app
        self.namespace = namespace
        self.id = id
        self.instance = instance
        self.pid = pid
        self.details = details
    }

    public var json: JSON {
        var object: JSONObject = [
            "time": .string(Format.iso8601(millisecondsSinceEpoch: time)),
            "event": .string(kind.rawValue),
            "app": .string(app),
            "namespace": .string(namespace),
            "id": id.map { .int($0) } ?? .null,
            "instance": instance.map { .int($0) } ?? .null,
            "pid": pid.map { .int(Int($0)) } ?? .null,
        ]
        for (key, value) in details.entries { object[key] = value }
        return .object(object)
    }

    /// Reads back what `json` wrote (the client's side of the subscription).
    public init?(json: JSON) {
        guard let kind = json["event"]?.stringValue.flatMap(Kind.init(rawValue:)), let app = json["app"]?.stringValue,
              let time = json["time"]?.stringValue.flatMap(Format.parseISO8601) else { return nil }
        var details = json.objectValue ?? JSONObject()
        for key in ["time", "event", "app", "namespace", "id", "instance", "pid"] { details[key] = nil }
        self.init(kind, time: time, app: app, namespace: json["namespace"]?.stringValue ?? "default",
                  id: json["id"]?.intValue, instance: json["instance"]?.intValue,
                  pid: json["pid"]?.intValue.map { Int32(truncatingIfNeeded: $0) }, details: details)
    }

    /// One readable line: `HH:MM:SS app#instance (id N) event pid P: details`.
    public func humanLine(utcOffsetSeconds: Int = 0) -> String {
        let clock = String(Format.iso8601(millisecondsSinceEpoch: time + Int64(utcOffsetSeconds) * 1000).dropFirst(11).prefix(8))
        var who = app
        if let instance { who += "#\(instance)" }
        if let id { who += " (id \(id))" }
        var line = "\(clock) \(who) \(kind.rawValue)"
        if let pid { line += " pid \(pid)" }
        var parts: [String] = []
        if let code = details["code"]?.intValue { parts.append("exit code \(code)") }
        if let signal = details["signal"]?.stringValue { parts.append("signal \(signal)") }
        if let uptime = details["uptime_ms"]?.intValue { parts.append("after \(Format.uptime(milliseconds: Int64(uptime)))") }
        if let probe = details["probe"]?.stringValue {
            parts += probeParts(probe)
        } else {
            if let passed = details["passed"]?.boolValue { parts.append(passed ? "passed" : "failed") }
            if let action = details["action"]?.stringValue { parts.append(action) }
            if let instances = details["instances"]?.intValue { parts.append("\(instances) instance(s)") }
            if let reason = details["reason"]?.stringValue, !reason.isEmpty { parts.append(reason) }
        }
        if !parts.isEmpty { line += ": " + parts.joined(separator: ", ") }
        if let last = details["stderr_tail"]?.arrayValue?.last?.stringValue { line += " | stderr: \(last)" }
        return line
    }

    /// What a probe's `health` event says: "readiness probe failed 2 times: exit code 1",
    /// then "not ready" (or "ready") when readiness changed.
    private func probeParts(_ probe: String) -> [String] {
        let passed = details["passed"]?.boolValue ?? false
        let reason = details["reason"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 }
        var parts = ["\(probe) probe " + (reason ?? (passed ? "passed" : "failed"))]
        if let ready = details["ready"]?.boolValue { parts.append(ready ? "ready" : "not ready") }
        return parts
    }
}

extension ProcessEvent {
    /// The lifecycle events one state-machine step stands for.
    ///
    /// `before` is the status before `event` was handled and `after` the lifecycle after it,
    /// before any effect ran: so an exit is reported before the restart it causes spawns.
    /// Each restart is told once: a restart that first stops the process is told when the
    /// exit relaunches it (with the restart counted), not also when it was asked for.
    public static func kinds(for event: Lifecycle.Event, from before: ProcessStatus, to after: Lifecycle) -> [Kind] {
        var kinds: [Kind] = []
        switch event {
        case .spawned where before == .launching: kinds.append(.start)
        case .ready where after.status == .online && (before == .launching || before == .online),
             .probePassed where after.status == .online && before == .launching:
            kinds.append(.ready)
        case .exited where before != .stopped && before != .waiting && before != .errored: kinds.append(.exit)
        case .reload where before != .stopping: kinds.append(.reload)
        case .hold: kinds.append(.waiting)
        case .restart where before != .stopping && after.status != .stopping,
             .autoRestart where before != .stopping && after.status != .stopping:
            kinds.append(.restart)
        default: break
        }
        guard before != after.status else { return kinds }
        switch after.status {
        case .online: kinds.append(.online)
        case .stopping: kinds.append(.stopping)
        case .stopped: kinds.append(.stopped)
        case .errored: kinds.append(.errored)
        case .waiting:
            if !kinds.contains(.restart) && !kinds.contains(.waiting) { kinds.append(.restart) }
        case .launching:
            // An exit that relaunches at once (no restart delay) is a restart too.
            if case .exited = event, !kinds.contains(.restart) { kinds.append(.restart) }
        }
        return kinds
    }
}
