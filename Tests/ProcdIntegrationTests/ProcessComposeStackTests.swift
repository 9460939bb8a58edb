import Foundation
import Testing

/// process-compose files of the shapes their users write, run as they are: a real stack
/// (redis-server healthy by an exec probe, a one-shot migration writing to it, an HTTP
/// API ready by http_get, a worker ready by its log line), and the usual dependency shapes.
@Suite("process-compose stacks", .serialized, .timeLimit(.minutes(1)))
struct ProcessComposeStackTests {
    /// Each process appends its name to `order` as it starts.
    private func process(_ name: String, _ sandbox: Sandbox, _ command: String, _ more: String = "") -> String {
        "  \(name):\n    command: \(Self.yamlQuoted("echo \(name) >> \(sandbox.work)/order; \(command)"))\n" + more
    }

    private static func yamlQuoted(_ text: String) -> String {
        "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }

    private func order(_ sandbox: Sandbox) -> [String] { Scenario.lines(sandbox.read(sandbox.work + "/order")) }

    @Test(.enabled(if: Scenario.which("redis-server") != nil && Scenario.which("redis-cli") != nil))
    func aRealStackStartsInOrderAndStopsInReverse() throws {
        try withSandbox { sandbox in
            let redis = Network.freePort()
            let api = Network.freePort()
            let file = try sandbox.write("process-compose.yaml", "version: \"0.5\"\nprocesses:\n"
                + process("redis", sandbox, "exec redis-server --port \(redis) --save '' --appendonly no", """
                        readiness_probe:
                          exec: {command: "redis-cli -p \(redis) ping"}
                          period_seconds: 0.1
                    """ + "\n")
                + process("migrate", sandbox, "redis-cli -p \(redis) set schema 7", """
                        depends_on: {redis: {condition: process_healthy}}
                    """ + "\n")
                + process("api", sandbox, "exec python3 -m http.server \(api) --bind 127.0.0.1", """
                        depends_on: {migrate: {condition: process_completed_successfully}}
                        availability: {restart: always}
                        readiness_probe:
                          http_get: {host: 127.0.0.1, port: \(api), path: /}
                          period_seconds: 0.1
                    """ + "\n")
                + process("worker", sandbox, "echo worker ready; exec sleep 300", """
                        ready_log_line: worker ready
                        depends_on: {api: {condition: process_healthy}}
                    """ + "\n")
                + process("report", sandbox, "redis-cli -p \(redis) get schema", """
                        depends_on: {worker: {condition: process_log_ready}}
                    """))
            let events = try EventsTests.subscribe(sandbox, ["--json"])
            let started = sandbox.procctl("start", file)
            #expect(started.status == 0, "\(started)")
            #expect(try sandbox.waitUntil { (try? sandbox.processes(named: "report").first?.exitCode) == 0 })
            #expect(order(sandbox) == ["redis", "migrate", "api", "worker", "report"])
            #expect(sandbox.outLog("report").contains("7"), "the migration's write is there: \(sandbox.outLog("report"))")

            #expect(sandbox.procctl("stop", "all").status == 0)
            let stops = EventsTests.objects(sandbox.read(events.stdout)).filter { $0["event"] as? String == "stopping" }
                .compactMap { $0["app"] as? String }
            #expect(stops == ["worker", "api", "redis"], "\(stops)")
        }
    }

    /// Shapes: each line lists a process and what it depends on. Each is waited for until
    /// its `up` line (log_ready), which it prints after writing its name: a fork alone
    /// (`started`) may come before the forked shell has written anything.
    @Test(arguments: [
        ("chain", ["a": [], "b": ["a"], "c": ["b"]], [["a"], ["b"], ["c"]]),
        ("diamond", ["top": [], "left": ["top"], "right": ["top"], "bottom": ["left", "right"]], [["top"], ["left", "right"], ["bottom"]]),
        ("one for many", ["db": [], "api": ["db"], "worker": ["db"], "cron": ["db"]], [["db"], ["api", "cron", "worker"]]),
        ("many for one", ["db": [], "cache": [], "queue": [], "api": ["db", "cache", "queue"]], [["cache", "db", "queue"], ["api"]]),
    ])
    func shapesStartLayerByLayer(shape: String, apps: [String: [String]], layers: [[String]]) throws {
        try withSandbox { sandbox in
            var text = "processes:\n"
            for (name, needs) in apps.sorted(by: { $0.key > $1.key }) {
                let depends = needs.isEmpty ? "" : "    depends_on:\n" + needs.map { "      \($0): {condition: process_log_ready}\n" }.joined()
                text += process(name, sandbox, "echo up; exec sleep 300", "    ready_log_line: up\n" + depends)
            }
            let file = try sandbox.write("\(shape.replacingOccurrences(of: " ", with: "-")).yaml", text)
            #expect(sandbox.procctl("start", file).status == 0)
            #expect(try sandbox.waitUntil { try sandbox.list().filter { $0.status == "online" }.count == apps.count }, "\(shape)")
            // Every layer started before the next one, its own members in any order.
            var seen = order(sandbox)
            for layer in layers {
                let head = Array(seen.prefix(layer.count))
                #expect(head.sorted() == layer, "\(shape): expected \(layer) next, got \(seen)")
                seen.removeFirst(min(layer.count, seen.count))
            }
            let graph = sandbox.procctl("graph", file, "--format", "json")
            let parsed = try JSONSerialization.jsonObject(with: Data(graph.stdout.utf8)) as? [String: Any]
            let drawn = (parsed?["layers"] as? [[String]])?.map { $0.sorted() }
            #expect(drawn == layers, "\(graph)")
        }
    }

    @Test func aFailingLinkReplicasDisabledAndShutdownSettings() throws {
        try withSandbox { sandbox in
            let file = try sandbox.write("mixed.yaml", "processes:\n"
                + process("setup", sandbox, "exit 2")
                + process("app", sandbox, "exec sleep 300", "    depends_on:\n      setup: {condition: process_completed_successfully}\n")
                + process("pool", sandbox, "exec sleep 300", """
                        replicas: 3
                        shutdown: {signal: 2, timeout_seconds: 4}
                    """ + "\n")
                + process("spare", sandbox, "exec sleep 300", "    disabled: true\n"))
            let result = sandbox.procctl("start", file)
            #expect(result.status == 0 && result.stderr.contains("'spare' is disabled; not started"), "\(result)")
            try sandbox.waitForStatus("pool", "online", count: 3)
            try sandbox.waitForStatus("app", "stopped")
            let reason = try Scenario.describe(sandbox, "app")["reason"] as? String ?? ""
            #expect(reason.contains("setup exited with a non-zero code"), "\(reason)")
            let pool = try Scenario.describe(sandbox, "pool")["app"] as? [String: Any]
            #expect(pool?["kill_signal"] as? String == "SIGINT" && pool?["kill_timeout"] as? Int == 4000, "\(pool ?? [:])")
            #expect(try !sandbox.list().contains { $0.name == "spare" })
        }
    }
}
