import Foundation
import Testing

/// What probes do once a process runs: readiness lost and regained, a readiness signal
/// that does not overrule the probe, two probes sharing a period, probes after `update`,
/// and the user an exec probe runs as.
@Suite("Probes once running", .serialized, .timeLimit(.minutes(1)))
struct OnlineProbeTests {
    private func start(_ sandbox: Sandbox, _ app: String) throws {
        let path = try sandbox.write("probed.json", "{\"apps\": [\(app)]}")
        #expect(sandbox.procctl("start", path).status == 0)
    }

    @Test func aReadinessProbeFailingOnlineMarksItNotReadyWithoutARestart() throws {
        try withSandbox { sandbox in
            let flag = sandbox.work + "/ready"
            _ = FileManager.default.createFile(atPath: flag, contents: Data())
            try start(sandbox, """
                {"name": "svc", "script": "sleep", "args": "300", "interpreter": "none",
                 "readiness_probe": {"exec": {"command": "test -f \(flag)"}, "period_seconds": 0.05, "failure_threshold": 2}}
                """)
            let online = try #require(try sandbox.waitForStatus("svc", "online").first)
            #expect(sandbox.waitUntil { (try? sandbox.processes(named: "svc").first?.ready) == true })
            try FileManager.default.removeItem(atPath: flag)
            #expect(sandbox.waitUntil { (try? sandbox.processes(named: "svc").first?.ready) == false }, "\(sandbox.diagnostics)")
            let notReady = try #require(try sandbox.processes(named: "svc").first)
            #expect(notReady.status == "online" && notReady.pid == online.pid && notReady.restarts == 0)
            #expect(sandbox.daemonLog.contains("not ready: readiness probe failed 2 times: exit code 1"))
            #expect(sandbox.procctl("describe", "svc").stdout.contains("probe ready"))
            _ = FileManager.default.createFile(atPath: flag, contents: Data())
            #expect(sandbox.waitUntil { (try? sandbox.processes(named: "svc").first?.ready) == true })
        }
    }

    @Test func aReadySignalDoesNotOverruleTheReadinessProbe() throws {
        try withSandbox { sandbox in
            let flag = sandbox.work + "/ready"
            let script = try sandbox.write("notify.py", """
                import os, socket, time
                address = os.environ["NOTIFY_SOCKET"]
                s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
                s.sendto(b"READY=1", "\\0" + address[1:] if address.startswith("@") else address)
                time.sleep(300)
                """)
            let path = try sandbox.write("early.json", """
                {"apps": [{"name": "early", "script": "python3", "args": ["\(script)"], "interpreter": "none",
                 "readiness_probe": {"exec": {"command": "test -f \(flag)"}, "period_seconds": 0.05, "failure_threshold": 1000}}]}
                """)
            // start answers once the app is online: it waits beside the test.
            let starting = try sandbox.launch(Binaries.procctl, ["start", path]).process
            #expect(sandbox.waitUntil { sandbox.daemonLog.contains("the readiness probe decides when it is online") }, "\(sandbox.diagnostics)")
            #expect(try sandbox.processes(named: "early").first?.status == "launching")
            _ = FileManager.default.createFile(atPath: flag, contents: Data())
            try sandbox.waitForStatus("early", "online")
            starting.waitUntilExit()
            #expect(starting.terminationStatus == 0)
        }
    }

    @Test func aLivenessProbeRunsBesideAReadinessProbeOfTheSamePeriod() throws {
        try withSandbox { sandbox in
            try start(sandbox, """
                {"name": "both", "script": "sleep", "args": "300", "interpreter": "none",
                 "readiness_probe": {"exec": {"command": "true"}, "period_seconds": 0.05},
                 "liveness_probe": {"exec": {"command": "exit 3"}, "period_seconds": 0.05, "failure_threshold": 3}}
                """)
            let state = try Scenario.waitForRestart(sandbox, "both", reasonContaining: "liveness")
            #expect(state.reason == "liveness probe failed 3 times: exit code 3", "\(state)")
            let metrics = sandbox.procctl("metrics").stdout
            let labels = #"app="both",id="0",namespace="default",instance="0""#
            #expect(Self.value(in: metrics, "procd_probe_failures_total{\(labels),probe=\"liveness\"}").map { $0 >= 3 } == true, "\(metrics)")
            #expect(Self.value(in: metrics, "procd_probe_failures_total{\(labels),probe=\"readiness\"}") == 0, "\(metrics)")
        }
    }

    @Test(arguments: [500, nil])
    func anHTTPLivenessProbeFailsOnAnErrorStatusOrARefusal(_ status: Int?) throws {
        try withSandbox { sandbox in
            let port = Network.freePort()
            let server = try sandbox.write("server.py", """
                import http.server
                class H(http.server.BaseHTTPRequestHandler):
                    def do_GET(self):
                        self.send_response(\(status ?? 200)); self.end_headers()
                    def log_message(self, *a): pass
                http.server.HTTPServer(("127.0.0.1", \(port)), H).serve_forever()
                """)
            // With no status the app serves nothing, and the probe's connections are refused;
            // a server is given a second to listen (a refusal before that would restart it).
            let args = status == nil ? #""args": "300", "script": "sleep""# : #""args": ["\#(server)"], "script": "python3""#
            try start(sandbox, """
                {"name": "web", \(args), "interpreter": "none",
                 "liveness_probe": {"http_get": {"port": \(port), "path": "/health"}, "period_seconds": 0.1, "failure_threshold": 2,
                                    "initial_delay_seconds": \(status == nil ? 0 : 1)}}
                """)
            let expected = status == nil ? "cannot connect to 127.0.0.1:\(port): Connection refused" : "HTTP 500"
            let state = try Scenario.waitForRestart(sandbox, "web", reasonContaining: expected.lowercased(), timeout: .seconds(20))
            #expect(state.reason == "liveness probe failed 2 times: \(expected)", "\(state)")
        }
    }

    /// The value of the sample `series` (name and labels) in Prometheus text.
    private static func value(in text: String, _ series: String) -> Double? {
        text.split(separator: "\n").first { $0.hasPrefix(series + " ") }.flatMap { Double($0.dropFirst(series.count + 1)) }
    }

    @Test func aProbeRunningWhenItsAppEndsIsNotTakenForWhatTheAppLeftBehind() throws {
        try withSandbox { sandbox in
            // The job ends 0 while its slow liveness probe runs: a clean end, not a program
            // that forked into the background.
            try start(sandbox, """
                {"name": "job", "script": "sleep", "args": "0.3", "interpreter": "none", "autorestart": false,
                 "liveness_probe": {"exec": {"command": "exec sleep 5"}, "period_seconds": 0.05, "timeout_seconds": 10}}
                """)
            let ended = try #require(try sandbox.waitForStatus("job", "stopped").first)
            #expect(ended.exitCode == 0 && ended.reason?.contains("background") != true, "\(ended)")
        }
    }

    @Test func probesGoOnAfterUpdate() throws {
        try withSandbox { sandbox in
            let sick = sandbox.work + "/sick"
            try start(sandbox, """
                {"name": "kept", "script": "sleep", "args": "300", "interpreter": "none",
                 "liveness_probe": {"exec": {"command": "test ! -f \(sick)"}, "period_seconds": 0.05, "failure_threshold": 2}}
                """)
            let before = try #require(try sandbox.waitForStatus("kept", "online").first)
            #expect(sandbox.procctl("update").status == 0)
            #expect(try sandbox.processes(named: "kept").first?.pid == before.pid, "update restarted it")
            _ = FileManager.default.createFile(atPath: sick, contents: Data())
            let state = try Scenario.waitForRestart(sandbox, "kept", reasonContaining: "liveness")
            #expect(state.reason == "liveness probe failed 2 times: exit code 1", "\(state)")
            try FileManager.default.removeItem(atPath: sick)
        }
    }

    @Test func anExecProbeRunsAsTheAppsUser() throws {
        try withSandbox { sandbox in
            guard getuid() == 0 else { return }
            // The sandbox is private (0700), so the app and its probe work in /.
            try start(sandbox, """
                {"name": "lowly", "script": "sleep", "args": "300", "interpreter": "none", "uid": "nobody", "cwd": "/",
                 "readiness_probe": {"exec": {"command": "test \\"$(id -un)\\" = nobody && test \\"$USER\\" = nobody"},
                 "period_seconds": 0.05}}
                """)
            try sandbox.waitForStatus("lowly", "online")
        }
    }
}
