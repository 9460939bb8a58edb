import Testing

@testable import ProcdCore

@Suite struct ProcessSnapshotTests {
    static var running: ProcessSnapshot {
        var s = ProcessSnapshot(
            id: 3, name: "api", namespace: "prod", instance: 1, status: .online,
            command: ["/usr/bin/node", "server.js"], cwd: "/srv/api",
            outLog: "/home/ana/.procd/logs/api-out.log", errLog: "/home/ana/.procd/logs/api-err.log")
        s.pid = 4121
        s.restarts = 5
        s.unstableRestarts = 2
        s.uptimeMilliseconds = 61_000
        s.startedAtMilliseconds = 1_795_284_880_123
        s.cpu = 12.3
        s.memory = 45_678_912
        s.ports = [8080, 9000]
        return s
    }

    static var crashed: ProcessSnapshot {
        var s = ProcessSnapshot(id: 0, name: "job", namespace: "default", instance: 0, status: .errored,
                                command: ["/bin/false"], cwd: "/", outLog: "/o", errLog: "/e")
        s.exitCode = 1
        s.exitSignal = "SIGSEGV"
        s.reason = "crashed (exit code 1) 17 times in a row"
        return s
    }

    /// The SPEC's `list --json` fields.
    static let specFields: Set<String> = [
        "id", "name", "namespace", "instance", "pid", "status", "restarts", "unstable_restarts", "uptime_ms",
        "started_at", "cpu", "memory", "exit_code", "exit_signal", "command", "cwd", "out_log", "err_log", "ports",
    ]

    @Test(arguments: [running, crashed])
    func jsonHasExactlyTheSpecFields(_ snapshot: ProcessSnapshot) {
        var keys = Set(snapshot.json.objectValue?.keys ?? [])
        if snapshot.reason != nil {
            #expect(keys.remove("reason") != nil, "the extra field is there when set")
        }
        #expect(keys == Self.specFields)
    }

    @Test func jsonFieldTypesAreTheSpecs() {
        let json = Self.running.json
        for key in ["id", "instance", "pid", "restarts", "unstable_restarts", "uptime_ms", "memory"] {
            #expect(json[key]?.intValue != nil, "\(key) is an int")
        }
        for key in ["name", "namespace", "status", "started_at", "cwd", "out_log", "err_log"] {
            #expect(json[key]?.stringValue != nil, "\(key) is a string")
        }
        #expect(json["cpu"] == .number(12.3))
        #expect(json["command"] == .array([.string("/usr/bin/node"), .string("server.js")]))
        #expect(json["ports"] == .array([.int(8080), .int(9000)]))
        #expect(json["started_at"] == .string("2026-11-21T18:14:40.123Z"))
        #expect(json["status"] == .string("online"))
        #expect(json["exit_code"] == .null)
        #expect(json["exit_signal"] == .null)
    }

    @Test func absentValuesAreNull() {
        let json = Self.crashed.json
        for key in ["pid", "uptime_ms", "started_at"] {
            #expect(json[key] == .null, "\(key) is null")
        }
        #expect(json["exit_code"] == .int(1))
        #expect(json["exit_signal"] == .string("SIGSEGV"))
        #expect(json["ports"] == .array([]))
        #expect(json["cpu"]?.doubleValue == 0)
        #expect(json["memory"] == .int(0))
    }

    @Test func statusNamesAreTheSpecs() {
        #expect(ProcessStatus.allCases.map(\.rawValue) == ["launching", "online", "stopping", "stopped", "waiting", "errored"])
    }

    @Test(arguments: [running, crashed])
    func jsonRoundTrips(_ snapshot: ProcessSnapshot) throws {
        #expect(ProcessSnapshot(json: snapshot.json) == snapshot)
        #expect(ProcessSnapshot(json: try JSONParser.parse(snapshot.json.serialized())) == snapshot)
    }

    @Test func cpuIsRoundedToOneDecimal() {
        var s = Self.running
        s.cpu = 12.345
        #expect(s.json["cpu"] == .number(12.3))
        s.cpu = 99.96
        #expect(s.json["cpu"] == .number(100))
    }

    @Test(arguments: [
        #"{"name":"a","status":"online"}"#, #"{"id":1,"status":"online"}"#, #"{"id":1,"name":"a"}"#,
        #"{"id":1,"name":"a","status":"running"}"#, #"{"id":"1","name":"a","status":"online"}"#, "[]",
    ])
    func decodingNeedsIdNameAndAKnownStatus(_ text: String) throws {
        #expect(ProcessSnapshot(json: try JSONParser.parse(text)) == nil)
    }

    @Test func decodingFillsDefaultsForTheRest() throws {
        let s = try #require(ProcessSnapshot(json: JSONParser.parse(#"{"id":1,"name":"a","status":"stopped"}"#)))
        #expect(s.namespace == "default")
        #expect(s.instance == 0)
        #expect(s.pid == nil)
        #expect(s.command == [])
        #expect(s.ports == [])
        #expect(s.startedAtMilliseconds == nil)
    }
}
