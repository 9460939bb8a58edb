/// One process as `list` and `describe` show it: the SPEC's JSON fields, fixed names and types.
public struct ProcessSnapshot: Equatable, Sendable {
    public var id: Int
    public var name: String
    public var namespace: String
    public var instance: Int
    public var pid: Int32?
    public var status: ProcessStatus
    public var restarts: Int
    public var unstableRestarts: Int
    public var uptimeMilliseconds: Int64?
    /// Wall-clock start time in milliseconds since the Unix epoch.
    public var startedAtMilliseconds: Int64?
    public var cpu: Double
    public var memory: Int64
    public var exitCode: Int32?
    public var exitSignal: String?
    public var command: [String]
    public var cwd: String
    public var outLog: String
    public var errLog: String
    public var ports: [Int]
    /// Why the process last restarted, stopped or gave up.
    public var reason: String?
    /// Online by listen_timeout without a readiness signal: what that means.
    public var notReady: String?
    /// Whether the readiness probe passes now; nil for an app without one.
    public var ready: Bool?

    public init(id: Int, name: String, namespace: String, instance: Int, status: ProcessStatus,
                command: [String], cwd: String, outLog: String, errLog: String) {
        self.id = id
        self.name = name
        self.namespace = namespace
        self.instance = instance
        self.status = status
        self.command = command
        self.cwd = cwd
        self.outLog = outLog
        self.errLog = errLog
        pid = nil
        restarts = 0
        unstableRestarts = 0
        cpu = 0
        memory = 0
        ports = []
    }

    public var json: JSON {
        func optional<T>(_ value: T?, _ wrap: (T) -> JSON) -> JSON { value.map(wrap) ?? .null }
        var o: JSONObject = [
            "id": .int(id),
            "name": .string(name),
            "namespace": .string(namespace),
            "instance": .int(instance),
            "pid": optional(pid) { .int(Int($0)) },
            "status": .string(status.rawValue),
            "restarts": .int(restarts),
            "unstable_restarts": .int(unstableRestarts),
            "uptime_ms": optional(uptimeMilliseconds) { .int(Int($0)) },
            "started_at": optional(startedAtMilliseconds) { .string(Format.iso8601(millisecondsSinceEpoch: $0)) },
            "cpu": .number((cpu * 10).rounded() / 10),
            "memory": .int(Int(memory)),
            "exit_code": optional(exitCode) { .int(Int($0)) },
            "exit_signal": optional(exitSignal) { .string($0) },
            "command": .array(command.map { .string($0) }),
            "cwd": .string(cwd),
            "out_log": .string(outLog),
            "err_log": .string(errLog),
            "ports": .array(ports.map { .int($0) }),
        ]
        if let reason { o["reason"] = .string(reason) }
        if let notReady { o["not_ready"] = .string(notReady) }
        if let ready { o["ready"] = .bool(ready) }
        return .object(o)
    }

    /// The fields the `list` table shows: what a compact `list` request returns, so the
    /// client that only prints a table neither receives nor parses the rest.
    public static let tableFields = ["id", "name", "namespace", "instance", "pid", "status", "restarts", "uptime_ms", "cpu", "memory"]

    /// Only the table's fields (`tableFields`), built without the others.
    public var tableJSON: JSON {
        .object([
            "id": .int(id),
            "name": .string(name),
            "namespace": .string(namespace),
            "instance": .int(instance),
            "pid": pid.map { .int(Int($0)) } ?? .null,
            "status": .string(status.rawValue),
            "restarts": .int(restarts),
            "uptime_ms": uptimeMilliseconds.map { .int(Int($0)) } ?? .null,
            "cpu": .number((cpu * 10).rounded() / 10),
            "memory": .int(Int(memory)),
        ])
    }

    /// Decodes the form written by `json` (or `tableJSON`); nil when a fixed field is missing or mistyped.
    public init?(json: JSON) {
        guard let id = json["id"]?.intValue, let name = json["name"]?.stringValue,
              let statusText = json["status"]?.stringValue, let status = ProcessStatus(rawValue: statusText)
        else { return nil }
        self.init(
            id: id, name: name, namespace: json["namespace"]?.stringValue ?? "default",
            instance: json["instance"]?.intValue ?? 0, status: status,
            command: json["command"]?.arrayValue?.compactMap(\.stringValue) ?? [],
            cwd: json["cwd"]?.stringValue ?? "", outLog: json["out_log"]?.stringValue ?? "",
            errLog: json["err_log"]?.stringValue ?? "")
        pid = json["pid"]?.intValue.map { Int32(truncatingIfNeeded: $0) }
        restarts = json["restarts"]?.intValue ?? 0
        unstableRestarts = json["unstable_restarts"]?.intValue ?? 0
        uptimeMilliseconds = json["uptime_ms"]?.intValue.map { Int64($0) }
        startedAtMilliseconds = json["started_at"]?.stringValue.flatMap(Format.parseISO8601)
        cpu = json["cpu"]?.doubleValue ?? 0
        memory = Int64(json["memory"]?.intValue ?? 0)
        exitCode = json["exit_code"]?.intValue.map { Int32(truncatingIfNeeded: $0) }
        exitSignal = json["exit_signal"]?.stringValue
        ports = json["ports"]?.arrayValue?.compactMap(\.intValue) ?? []
        reason = json["reason"]?.stringValue
        notReady = json["not_ready"]?.stringValue
        ready = json["ready"]?.boolValue
    }
}
