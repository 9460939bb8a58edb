import Testing

@testable import ProcdCore

@Suite struct ProcessEventTests {
    static let policy = RestartPolicy()

    /// Runs `events` on a fresh lifecycle and returns the kinds the last one stands for.
    static func kinds(after setup: [Lifecycle.Event], _ event: Lifecycle.Event, policy: RestartPolicy = policy,
                      at now: Tick = Tick(.seconds(10))) -> [ProcessEvent.Kind] {
        var lifecycle = Lifecycle(policy: policy)
        for step in setup { _ = lifecycle.handle(step, at: Tick(.zero)) }
        let before = lifecycle.status
        _ = lifecycle.handle(event, at: now)
        return ProcessEvent.kinds(for: event, from: before, to: lifecycle)
    }

    @Test func aSpawnIsAStartAndOnlineUnlessReadinessIsAwaited() {
        #expect(Self.kinds(after: [.start], .spawned) == [.start, .online])
        var waits = Self.policy
        waits.waitReady = true
        #expect(Self.kinds(after: [.start], .spawned, policy: waits) == [.start])
        #expect(Self.kinds(after: [.start, .spawned], .ready, policy: waits) == [.ready, .online])
    }

    @Test func aCrashIsAnExitThenARestartOrErrored() {
        #expect(Self.kinds(after: [.start, .spawned], .exited(.code(1), groupAlive: false)) == [.exit, .restart])
        var fragile = Self.policy
        fragile.maxRestarts = 0
        #expect(Self.kinds(after: [.start, .spawned], .exited(.code(1), groupAlive: false), policy: fragile, at: Tick(.milliseconds(10)))
                == [.exit, .errored])
        var once = Self.policy
        once.autorestart = false
        #expect(Self.kinds(after: [.start, .spawned], .exited(.signal(9), groupAlive: false), policy: once) == [.exit, .stopped])
    }

    @Test func stopAndRestartRequestsAreTold() {
        #expect(Self.kinds(after: [.start, .spawned], .stop) == [.stopping])
        #expect(Self.kinds(after: [.start, .spawned, .stop], .exited(.signal(15), groupAlive: false)) == [.exit, .stopped])
        #expect(Self.kinds(after: [.start, .spawned], .restart) == [.stopping])
        #expect(Self.kinds(after: [.start, .spawned, .restart], .exited(.signal(15), groupAlive: false)) == [.exit, .restart])
        #expect(Self.kinds(after: [.start, .spawned, .stop, .exited(.signal(15), groupAlive: false)], .restart) == [.restart])
        #expect(Self.kinds(after: [.start, .spawned], .reload) == [.reload])
        #expect(Self.kinds(after: [.start, .spawned, .stop], .stop) == [])
    }

    @Test func jsonCarriesTheFixedFieldsAndReadsBack() {
        let event = ProcessEvent(.exit, time: 1_700_000_000_123, app: "web", namespace: "shop", id: 3, instance: 1, pid: 42,
                                 details: ["code": .int(2), "reason": .string("crashed (exit code 2)"), "stderr_tail": .array([.string("boom")])])
        let json = event.json
        #expect(json["time"]?.stringValue == "2023-11-14T22:13:20.123Z")
        #expect(json["event"]?.stringValue == "exit")
        #expect(json["app"]?.stringValue == "web")
        #expect(json["id"]?.intValue == 3)
        #expect(json["pid"]?.intValue == 42)
        #expect(ProcessEvent(json: json) == event)
        #expect(event.humanLine() == "22:13:20 web#1 (id 3) exit pid 42: exit code 2, crashed (exit code 2) | stderr: boom")
    }

    @Test(arguments: [
        (["probe": JSON.string("readiness"), "passed": .bool(false), "ready": .bool(false), "reason": .string("failed 2 times: HTTP 503")],
         "readiness probe failed 2 times: HTTP 503, not ready"),
        (["probe": .string("readiness"), "passed": .bool(true), "ready": .bool(true)], "readiness probe passed, ready"),
        (["probe": .string("liveness"), "passed": .bool(false), "reason": .string("failed 3 times: timed out after 1s")],
         "liveness probe failed 3 times: timed out after 1s"),
        (["passed": .bool(false), "reason": .string("http://127.0.0.1:80/ answered 500"), "failures": .int(1)],
         "failed, http://127.0.0.1:80/ answered 500"),
    ] as [(JSONObject, String)])
    func healthEventsSayWhichCheckFoundWhat(_ details: JSONObject, _ expected: String) {
        let event = ProcessEvent(.health, time: 1_700_000_000_123, app: "db", namespace: "default", id: 0, instance: 0, pid: 7, details: details)
        #expect(event.humanLine() == "22:13:20 db#0 (id 0) health pid 7: \(expected)")
    }
}
