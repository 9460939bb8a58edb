import Foundation
import Testing

/// Readiness and liveness probes through the real binaries.
@Suite("Probes", .serialized, .timeLimit(.minutes(1)))
struct ProbeTests {
    private func file(_ sandbox: Sandbox, _ name: String, _ apps: String) throws -> String {
        try sandbox.write(name, "{\"apps\": [\(apps)]}")
    }

    /// A sleeping app whose readiness is a file appearing.
    private func gated(_ name: String, flag: String, extra: String = "") -> String {
        """
        {"name": "\(name)", "script": "sleep", "args": "300", "interpreter": "none",
         "readiness_probe": {"exec": {"command": "test -f \(flag)"}, "period_seconds": 0.05, "failure_threshold": 1000}\(extra)}
        """
    }

    @Test func aReadinessProbeGatesOnlineAndWhatIsHealthyWaitsForIt() throws {
        try withSandbox { sandbox in
            let flag = sandbox.work + "/ready"
            let path = try file(sandbox, "ready.json", gated("db", flag: flag) + """
                , {"name": "api", "script": "sleep", "args": "300", "interpreter": "none",
                   "depends_on": {"db": {"condition": "process_healthy"}}}
                """)
            #expect(sandbox.procctl("ping").status == 0)
            let start = try sandbox.launch(Binaries.procctl, ["start", path]).process
            try sandbox.waitForStatus("db", "launching")
            #expect(try sandbox.processes(named: "api").first?.status == "waiting")
            FileManager.default.createFile(atPath: flag, contents: Data())
            try sandbox.waitForStatus("db", "online")
            try sandbox.waitForStatus("api", "online")
            start.waitUntilExit()
            #expect(start.terminationStatus == 0)
        }
    }

    @Test func anHTTPReadinessProbePassesOnTheAppsOwnPort() throws {
        try withSandbox { sandbox in
            let port = Network.freePort()
            let path = try file(sandbox, "http.json", """
                {"name": "web", "script": "python3", "args": ["-m", "http.server", "\(port)", "--bind", "127.0.0.1"],
                 "interpreter": "none", "readiness_probe": {"http_get": {"host": "127.0.0.1", "port": \(port), "path": "/"},
                 "period_seconds": 0.05, "failure_threshold": 200}}
                """)
            #expect(sandbox.procctl("start", path).status == 0)
            try sandbox.waitForStatus("web", "online")
            let describe = sandbox.procctl("describe", "web")
            #expect(describe.stdout.contains("GET http://127.0.0.1:\(port)/ every 0.05s"), "\(describe)")
        }
    }

    @Test func aFailingLivenessProbeRestartsWithTheReason() throws {
        try withSandbox { sandbox in
            let path = try file(sandbox, "live.json", """
                {"name": "stuck", "script": "sleep", "args": "300", "interpreter": "none",
                 "liveness_probe": {"exec": {"command": "echo not well; exit 1"}, "period_seconds": 0.05, "failure_threshold": 3}}
                """)
            #expect(sandbox.procctl("start", path).status == 0)
            let state = try Scenario.waitForRestart(sandbox, "stuck", reasonContaining: "liveness")
            #expect(state.reason == "liveness probe failed 3 times: exit code 1 (not well)", "\(state)")
        }
    }

    @Test func aProbeThatOutlivesItsTimeoutIsKilled() throws {
        try withSandbox { sandbox in
            let marker = "7.\(Int.random(in: 100_000...999_999))"
            let path = try file(sandbox, "slow.json", """
                {"name": "slow", "script": "sleep", "args": "300", "interpreter": "none",
                 "liveness_probe": {"exec": {"command": "exec sleep \(marker)"}, "timeout_seconds": 0.1, "period_seconds": 0.2,
                 "failure_threshold": 2}}
                """)
            #expect(sandbox.procctl("start", path).status == 0)
            let state = try Scenario.waitForRestart(sandbox, "slow", reasonContaining: "timed out")
            #expect(state.reason == "liveness probe failed 2 times: timed out after 0.1s", "\(state)")
            #expect(sandbox.procctl("stop", "slow").status == 0)
            #expect(sandbox.waitUntil { Self.pids(withArgument: marker).isEmpty }, "a probe outlived its timeout")
        }
    }

    @Test func aReloadKeepsTheOldProcessUntilTheNewOneIsReady() throws {
        try withSandbox { sandbox in
            let flag = sandbox.work + "/ready"
            FileManager.default.createFile(atPath: flag, contents: Data())
            #expect(sandbox.procctl("start", try file(sandbox, "reload.json", gated("svc", flag: flag))).status == 0)
            let old = try #require(try sandbox.waitForStatus("svc", "online").first?.pid)
            try FileManager.default.removeItem(atPath: flag)
            let reload = try sandbox.launch(Binaries.procctl, ["reload", "svc"]).process
            #expect(sandbox.waitUntil { (try? sandbox.processes(named: "svc").first?.status) == "launching" })
            #expect(ProcessProbe.isAlive(old), "the old process went before the new one was ready")
            FileManager.default.createFile(atPath: flag, contents: Data())
            reload.waitUntilExit()
            #expect(reload.terminationStatus == 0)
            #expect(sandbox.waitUntil { !ProcessProbe.isAlive(old) })
            #expect(try sandbox.waitForStatus("svc", "online").first?.pid != old)
        }
    }

    /// Processes with `argument` among their arguments, from /proc.
    private static func pids(withArgument argument: String) -> [Int32] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap { entry -> Int32? in
            guard let pid = Int32(entry), ProcessProbe.isAlive(pid),
                  let data = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") else { return nil }
            return data.split(separator: 0).contains { String(decoding: $0, as: UTF8.self) == argument } ? pid : nil
        }
    }
}
