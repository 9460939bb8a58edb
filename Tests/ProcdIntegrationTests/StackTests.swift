import Foundation
import Testing

/// Stacks through the real binaries: depends_on with its conditions, a one-shot that
/// fails, refused files, --only and --no-deps, and the order of stopping.
@Suite("Stacks", .serialized, .timeLimit(.minutes(1)))
struct StackTests {
    /// An app that writes its name to `order` when it starts and, told to stop, to `stops`
    /// after a moment (so a wrong order shows); `then` runs after the start line.
    private func app(_ name: String, _ sandbox: Sandbox, then: String = "while :; do sleep 0.05; done", extra: String = "") -> String {
        let script = "echo \(name) >> \(sandbox.work)/order; trap 'sleep 0.1; echo \(name) >> \(sandbox.work)/stops; exit 0' TERM; \(then)"
        return """
            {"name": "\(name)", "script": "sh", "args": ["-c", \(Self.quoted(script))], "interpreter": "none"\(extra)}
            """
    }

    private static func quoted(_ text: String) -> String {
        "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }

    private func lines(_ sandbox: Sandbox, _ file: String) -> [String] {
        Scenario.lines(sandbox.read(sandbox.work + "/" + file))
    }

    /// migrate (one-shot) → api (online once migrated) → worker (once api printed its line).
    private func chain(_ sandbox: Sandbox, migrateExit: Int = 0) throws -> String {
        try sandbox.write("stack.json", """
            {"apps": [
              \(app("worker", sandbox, extra: #", "depends_on": {"api": {"condition": "log_ready"}}"#)),
              \(app("api", sandbox, then: "sleep 0.3; echo listening now; while :; do sleep 0.05; done",
                    extra: #", "ready_log_line": "listening", "depends_on": {"migrate": {"condition": "process_completed_successfully"}}"#)),
              \(app("migrate", sandbox, then: "sleep 0.2; exit \(migrateExit)", extra: #", "autorestart": false"#))
            ]}
            """)
    }

    @Test func eachAppStartsOnceWhatItDependsOnIsThere() throws {
        try withSandbox { sandbox in
            let result = sandbox.procctl("start", try chain(sandbox))
            #expect(result.status == 0, "\(result)")
            try sandbox.waitForStatus("worker", "online")
            #expect(lines(sandbox, "order") == ["migrate", "api", "worker"])
            let migrate = try #require(try sandbox.processes(named: "migrate").first)
            #expect(migrate.status == "stopped" && migrate.exitCode == 0, "a one-shot that ended keeps its exit code")
        }
    }

    @Test func aWaitingAppSaysWhatItWaitsFor() throws {
        try withSandbox { sandbox in
            let file = try sandbox.write("wait.json", """
                {"apps": [\(app("db", sandbox, extra: #", "autorestart": false"#)),
                          \(app("api", sandbox, extra: #", "depends_on": ["db:completed"]"#))]}
                """)
            #expect(sandbox.procctl("start", file).status == 0)
            try sandbox.waitForStatus("api", "waiting")
            let reason = try Scenario.describe(sandbox, "api")["reason"] as? String
            #expect(reason == "waiting for db: completed")
            let metrics = sandbox.procctl("metrics").stdout
            #expect(metrics.contains("procd_process_waiting_for_dependencies{app=\"api\",id=\"1\",namespace=\"default\",instance=\"0\"} 1"), "\(metrics)")
            #expect(sandbox.procctl("stop", "db").status == 0)
            try sandbox.waitForStatus("api", "online")
        }
    }

    @Test func aFailedOneShotLeavesItsDependentsNotStartedWithTheReason() throws {
        try withSandbox { sandbox in
            #expect(sandbox.procctl("start", try chain(sandbox, migrateExit: 3)).status == 0)
            #expect(try sandbox.waitUntil { (try? sandbox.processes(named: "migrate").first?.exitCode) == 3 })
            try sandbox.waitForStatus("api", "stopped")
            let reason = try Scenario.describe(sandbox, "api")["reason"] as? String ?? ""
            #expect(reason.hasPrefix("not started: migrate exited with a non-zero code"), "\(reason)")
            #expect(try sandbox.processes(named: "worker").first?.status == "waiting")
            #expect(lines(sandbox, "order") == ["migrate"])
        }
    }

    @Test func cyclesAndUnknownNamesStartNothing() throws {
        try withSandbox { sandbox in
            let cycle = try sandbox.write("cycle.json", """
                {"apps": [\(app("a", sandbox, extra: #", "depends_on": ["c"]"#)), \(app("b", sandbox, extra: #", "depends_on": ["a"]"#)),
                          \(app("c", sandbox, extra: #", "depends_on": ["b"]"#))]}
                """)
            let refused = sandbox.procctl("start", cycle)
            #expect(refused.status == 1 && refused.stderr.contains("a → c → b → a"), "\(refused)")
            let unknown = try sandbox.write("unknown.json", """
                {"apps": [\(app("db", sandbox)), \(app("api", sandbox, extra: #", "depends_on": ["dbb"]"#))]}
                """)
            let typo = sandbox.procctl("start", unknown)
            #expect(typo.status == 1 && typo.stderr.contains("'api' depends on 'dbb'") && typo.stderr.contains("did you mean 'db'?"), "\(typo)")
            #expect(try sandbox.list().isEmpty)
            let graph = sandbox.procctl("graph", cycle)
            #expect(graph.status == 1 && graph.stderr.contains("cycle"), "\(graph)")
        }
    }

    @Test func onlyBringsWhatTheAppNeedsAndNoDepsDoesNot() throws {
        try withSandbox { sandbox in
            let file = try chain(sandbox)
            let dry = sandbox.procctl("start", file, "--only", "api", "--dry-run", "--json")
            #expect(dry.status == 0, "\(dry)")
            let names = (try JSONSerialization.jsonObject(with: Data(dry.stdout.utf8)) as? [[String: Any]])?.compactMap { $0["name"] as? String }
            #expect(names == ["migrate", "api"])
            #expect(sandbox.procctl("start", file, "--only", "worker", "--no-deps").status == 0)
            try sandbox.waitForStatus("worker", "waiting")
            #expect(try sandbox.list().map(\.name) == ["worker"])
        }
    }

    @Test func stoppingGoesDependentsFirstAndTheGraphShowsTheOrder() throws {
        try withSandbox { sandbox in
            let file = try sandbox.write("three.json", """
                {"apps": [\(app("db", sandbox)), \(app("api", sandbox, extra: #", "depends_on": ["db"]"#)),
                          \(app("worker", sandbox, extra: #", "depends_on": ["api"]"#))]}
                """)
            #expect(sandbox.procctl("start", file).status == 0)
            try sandbox.waitForStatus("worker", "online")
            #expect(sandbox.procctl("stop", "all").status == 0)
            #expect(lines(sandbox, "stops") == ["worker", "api", "db"])
            let text = sandbox.procctl("graph")
            #expect(text.status == 0 && text.stdout.contains("api  ← db: online"), "\(text)")
            let mermaid = sandbox.procctl("graph", file, "--format", "mermaid")
            #expect(mermaid.stdout.hasPrefix("graph TD\n") && mermaid.stdout.contains("-->|online|"), "\(mermaid)")
        }
    }

    @Test func aDaemonRestartKeepsTheDependencies() throws {
        try withSandbox { sandbox in
            let file = try sandbox.write("keep.json", """
                {"apps": [\(app("db", sandbox, extra: #", "autorestart": false"#)),
                          \(app("api", sandbox, extra: #", "depends_on": ["db:completed_successfully"]"#))]}
                """)
            #expect(sandbox.procctl("start", file).status == 0)
            try sandbox.waitForStatus("api", "waiting")
            #expect(sandbox.procctl("save").status == 0)
            #expect(sandbox.procctl("kill").status == 0)
            #expect(sandbox.procctl("resurrect").status == 0)
            try sandbox.waitForStatus("api", "waiting")
            let json = sandbox.procctl("graph", "--format", "json")
            #expect(json.stdout.contains("\"completed_successfully\""), "\(json)")
        }
    }
}

/// `stop_command` (process-compose's `shutdown.command`) in place of the kill signal.
@Suite("Stop commands", .serialized, .timeLimit(.minutes(1)))
struct StopCommandTests {
    @Test func aStopCommandStopsWhatIgnoresTheSignal() throws {
        try withSandbox { sandbox in
            let flag = sandbox.work + "/stopped-by"
            let file = try sandbox.write("stubborn.json", """
                {"apps": [{"name": "stubborn", "script": "sh", "args": ["-c", "trap '' TERM; while :; do sleep 0.05; done"],
                  "interpreter": "none", "kill_timeout": 30000,
                  "stop_command": "echo $PROCD_APP_NAME > \(flag); kill -KILL $PROCD_PID"}]}
                """)
            #expect(sandbox.procctl("start", file).status == 0)
            try sandbox.waitForStatus("stubborn", "online")
            let clock = ContinuousClock()
            let began = clock.now
            #expect(sandbox.procctl("stop", "stubborn").status == 0)
            #expect(clock.now - began < .seconds(20), "the kill timeout ended it, not the stop command")
            #expect(sandbox.read(flag) == "stubborn\n")
            #expect(sandbox.daemonLog.contains("stopping with its stop_command"), "\(sandbox.daemonLog)")
        }
    }

    /// A stop command carries its app's PROCD_ID, but is not something the app left
    /// behind: the stop ends with the app, and the command runs on to its end.
    @Test func aStopCommandThatOutlivesTheAppIsLeftToFinish() throws {
        try withSandbox { sandbox in
            let flag = sandbox.work + "/finished"
            try start(sandbox, """
                {"name": "quick", "script": "sleep", "args": "300", "interpreter": "none", "kill_timeout": 30000,
                 "stop_command": "kill -KILL $PROCD_PID; sleep 2; echo done > \(flag)"}
                """)
            try sandbox.waitForStatus("quick", "online")
            #expect(sandbox.procctl("stop", "quick").status == 0)
            #expect(!FileManager.default.fileExists(atPath: flag), "the stop waited for its stop command")
            #expect(try sandbox.waitUntil { sandbox.read(flag) == "done\n" }, "the stop command was cut short")
            #expect(try sandbox.processes(named: "quick").map(\.status) == ["stopped"])
        }
    }

    /// A stop command runs as the app does: here only nobody's command kills the app.
    @Test func aStopCommandRunsAsTheAppsUser() throws {
        try withSandbox { sandbox in
            guard getuid() == 0 else { return }
            // The sandbox is private (0700), so the app and its command work in /.
            try start(sandbox, """
                {"name": "lowly", "script": "sh", "args": ["-c", "trap '' TERM; while :; do sleep 0.05; done"],
                 "interpreter": "none", "uid": "nobody", "cwd": "/", "kill_timeout": 30000,
                 "stop_command": "test \\"$(id -un)\\" = nobody && test \\"$USER\\" = nobody && kill -KILL $PROCD_PID"}
                """)
            try sandbox.waitForStatus("lowly", "online")
            let clock = ContinuousClock()
            let began = clock.now
            #expect(sandbox.procctl("stop", "lowly").status == 0)
            #expect(clock.now - began < .seconds(20), "the kill timeout ended it, not the stop command")
        }
    }

    private func start(_ sandbox: Sandbox, _ app: String) throws {
        let file = try sandbox.write("app.json", "{\"apps\": [\(app)]}")
        #expect(sandbox.procctl("start", file).status == 0)
    }
}
