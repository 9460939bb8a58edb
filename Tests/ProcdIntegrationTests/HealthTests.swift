import Foundation
import Testing

/// Restarts that come from watching a process: sd_notify watchdog, HTTP health checks,
/// memory limit, cron schedule and file watching.
@Suite("Health", .serialized, .timeLimit(.minutes(1)))
struct HealthTests {
    @Test func watchdogRestartsAProcessThatNeverPings() throws {
        try withSandbox { sandbox in
            #expect(sandbox.startFixture("silent", [], options: ["--watchdog", "300"]).status == 0)
            let state = try Scenario.waitForRestart(sandbox, "silent", reasonContaining: "watchdog")
            #expect(state.restarts >= 1)
            let logged = Scenario.lines(sandbox.daemonLog).contains { $0.contains("silent") && $0.lowercased().contains("watchdog") }
            #expect(logged, "procd.log does not give the watchdog reason\n\(sandbox.diagnostics)")
        }
    }

    @Test(.enabled(if: Scenario.hasPython, "python3 is not installed"))
    func watchdogPingsEvery100msKeepTheProcessUp() throws {
        try withSandbox { sandbox in
            let script = try sandbox.write("pinger.py", """
                import os, socket, time
                address = os.environ["NOTIFY_SOCKET"]
                if address.startswith("@"):
                    address = "\\0" + address[1:]
                print("watchdog usec=%s pid=%s self=%d" % (os.environ.get("WATCHDOG_USEC"),
                      os.environ.get("WATCHDOG_PID"), os.getpid()), flush=True)
                sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
                while True:
                    sock.sendto(b"WATCHDOG=1", address)
                    time.sleep(0.1)

                """)
            let python = try #require(Scenario.python)
            #expect(sandbox.procctl("start", script, "--interpreter", python, "--interpreter-args", "-S", "--watchdog", "300").status == 0)
            let process = try #require(try sandbox.waitForStatus("pinger", "online").first)
            let pid = try #require(process.pid)
            let log = try sandbox.waitForOutput("pinger", containing: "watchdog usec=")
            let line = try #require(Scenario.lines(log).first { $0.hasPrefix("watchdog usec=") })
            #expect(line == "watchdog usec=300000 pid=\(pid) self=\(pid)", "\(line) (listed pid \(pid))")

            // Five watchdog periods with pings: no restart, same pid.
            var now = try Scenario.restartState(sandbox, "pinger")
            let restarted = try sandbox.waitUntil(timeout: .milliseconds(1500)) {
                now = try Scenario.restartState(sandbox, "pinger")
                return now.restarts != 0 || now.pid != pid
            }
            #expect(!restarted, "a pinging process was restarted: \(now)\n\(sandbox.diagnostics)")
            #expect(ProcessProbe.isAlive(pid))
        }
    }

    @Test func failingHealthUrlRestartsTheProcess() throws {
        try withSandbox { sandbox in
            let port = Network.freePort()
            let options = ["--health-url", "http://127.0.0.1:\(port)/", "--health-interval", "200", "--health-retries", "2"]
            #expect(sandbox.startFixture("unhealthy", [], options: options).status == 0)
            let state = try Scenario.waitForRestart(sandbox, "unhealthy", reasonContaining: "health")
            #expect(state.restarts >= 1)
            let logged = Scenario.lines(sandbox.daemonLog).contains { $0.contains("unhealthy") && $0.lowercased().contains("health") }
            #expect(logged, "procd.log does not give the health reason\n\(sandbox.diagnostics)")
        }
    }

    @Test(.enabled(if: Scenario.hasPython, "python3 is not installed"))
    func answeredHealthUrlDoesNotRestart() throws {
        try withSandbox { sandbox in
            let port = try startCountingServer(sandbox)
            let hitsBefore = hits(sandbox)

            let options = ["--health-url", "http://127.0.0.1:\(port)/", "--health-interval", "200", "--health-retries", "2"]
            #expect(sandbox.startFixture("healthy", [], options: options).status == 0)
            let pid = try #require(try sandbox.waitForStatus("healthy", "online").first?.pid)
            // At least six checks answered (more than a second), then still the first run.
            #expect(sandbox.waitUntil(timeout: .seconds(5)) { hits(sandbox) >= hitsBefore + 6 },
                    "the health checks never reached the server: \(hits(sandbox) - hitsBefore) hits")
            let state = try Scenario.restartState(sandbox, "healthy")
            #expect(state.restarts == 0, "restarted although healthy: \(state)")
            #expect(state.pid == pid)
        }
    }

    /// A restart arms a new chain of probes when the process comes online again; the chain
    /// of the run before must end, or every restart would add one more check per interval.
    /// A second app probed often keeps its own deadline first in the queue, so the old
    /// chain's next check is not looked at before the restarted process is online again.
    @Test(.enabled(if: Scenario.hasPython, "python3 is not installed"))
    func restartsDoNotMultiplyHealthChecks() throws {
        try withSandbox { sandbox in
            let port = try startCountingServer(sandbox)
            func checks() -> Int { Scenario.lines(sandbox.outLog("server")).filter { $0 == "hit /probed" }.count }
            #expect(sandbox.startFixture("busy", [], options: ["--health-url", "http://127.0.0.1:\(port)/busy", "--health-interval", "100"]).status == 0)
            let options = ["--health-url", "http://127.0.0.1:\(port)/probed", "--health-interval", "1000", "--health-retries", "3"]
            #expect(sandbox.startFixture("probed", [], options: options).status == 0)
            #expect(sandbox.waitUntil(timeout: .seconds(5)) { checks() > 0 }, "no health check reached the server")
            // Each restart is online again well within the interval, while the previous
            // run's next check is still due.
            for _ in 0..<4 { #expect(sandbox.procctl("restart", "probed").status == 0) }
            let before = checks()
            // One chain checks about 3 times in 3 s; five chains would check about 15 times.
            let multiplied = sandbox.waitUntil(timeout: .seconds(3)) { checks() >= before + 7 }
            #expect(!multiplied, "\(checks() - before) checks in 3 s at an interval of 1 s")
            #expect(checks() > before, "the checks stopped after the restarts")
        }
    }

    @Test(.enabled(if: Scenario.hasPython, "python3 is not installed"))
    func memoryOverTheLimitRestarts() throws {
        try withSandbox { sandbox in
            let program = "import time\nblock = b'x' * (80 << 20)\nprint('allocated', flush=True)\ntime.sleep(600)\n"
            let result = sandbox.procctl("start", try #require(Scenario.python), "--name", "hog", "--max-memory-restart", "30M", "--", "-c", program)
            #expect(result.status == 0, "\(result)")
            try sandbox.waitForOutput("hog", containing: "allocated")
            let state = try Scenario.waitForRestart(sandbox, "hog", reasonContaining: "memory", timeout: .seconds(15))
            #expect(state.restarts >= 1)
        }
    }

    @Test func cronRestartIsAcceptedAndInvalidCronIsAUsageError() throws {
        try withSandbox { sandbox in
            let accepted = sandbox.startFixture("nightly", [], options: ["--cron-restart", "* * * * *"])
            #expect(accepted.status == 0, "\(accepted)")
            try sandbox.waitForStatus("nightly", "online")
            let described = try Scenario.describe(sandbox, "nightly")
            let app = described["app"] as? [String: Any] ?? [:]
            let cron = (app["cron_restart"] ?? described["cron_restart"]) as? String
            #expect(cron == "* * * * *", "describe --json: cron_restart = \(cron ?? "absent")")
            #expect(sandbox.procctl("describe", "nightly").stdout.contains("* * * * *"))

            for invalid in ["61 * * * *", "every minute", "* * * *"] {
                let refused = sandbox.startFixture("badcron", [], options: ["--cron-restart", invalid])
                #expect(refused.status == 2, "'\(invalid)': \(refused)")
                #expect(refused.stderr.contains("procctl: error:") && refused.stderr.lowercased().contains("cron"),
                        "'\(invalid)': \(refused)")
            }
            #expect(try sandbox.processes(named: "badcron").isEmpty)
        }
    }

    @Test func watchRestartsOnceForTwoQuickWritesAndIgnoresNodeModules() throws {
        try withSandbox { sandbox in
            let watched = sandbox.work + "/watched"
            try FileManager.default.createDirectory(atPath: watched + "/node_modules", withIntermediateDirectories: true)
            try "0\n".write(toFile: watched + "/data.txt", atomically: false, encoding: .utf8)
            let result = sandbox.startFixture("watcher", [], options: ["--watch", watched, "--watch-delay", "200"])
            #expect(result.status == 0, "\(result)")
            let first = try #require(try sandbox.waitForStatus("watcher", "online").first?.pid)

            try append("1\n", to: watched + "/data.txt")
            try append("2\n", to: watched + "/data.txt")
            let once = try sandbox.waitUntil(timeout: .seconds(5)) { try restarts(sandbox) >= 1 }
            #expect(once, "two writes in \(watched) did not restart the app\n\(sandbox.diagnostics)")
            var count = 1
            let more = try sandbox.waitUntil(timeout: .seconds(1)) {
                count = try restarts(sandbox)
                return count > 1
            }
            #expect(!more, "two quick writes gave \(count) restarts, not 1")
            let second = try #require(try sandbox.waitForStatus("watcher", "online").first?.pid)
            #expect(second != first)

            try append("ignored\n", to: watched + "/node_modules/module.js")
            let ignored = try sandbox.waitUntil(timeout: .seconds(1)) { try restarts(sandbox) != 1 }
            #expect(!ignored, "a write under node_modules restarted the app")

            // The watch still works after that: the next write restarts again.
            try append("3\n", to: watched + "/data.txt")
            #expect(try sandbox.waitUntil(timeout: .seconds(5)) { try restarts(sandbox) == 2 })
        }
    }

    private func restarts(_ sandbox: Sandbox) throws -> Int {
        try #require(try sandbox.processes(named: "watcher").first).restarts
    }

    private func hits(_ sandbox: Sandbox) -> Int {
        Scenario.lines(sandbox.outLog("server")).filter { $0.hasPrefix("hit ") }.count
    }

    /// Starts app "server": a Python HTTP server on a free port that answers 200 and prints
    /// `hit PATH` for each request. Returns the port once it answers.
    private func startCountingServer(_ sandbox: Sandbox) throws -> Int {
        let port = Network.freePort()
        let server = try sandbox.write("server.py", """
            import http.server, sys
            class Handler(http.server.BaseHTTPRequestHandler):
                def do_GET(self):
                    self.send_response(200)
                    self.end_headers()
                    self.wfile.write(b"ok")
                    print("hit " + self.path, flush=True)
                def log_message(self, *args):
                    pass
            http.server.HTTPServer(("127.0.0.1", int(sys.argv[1])), Handler).serve_forever()

            """)
        let python = try #require(Scenario.python)
        #expect(sandbox.procctl("start", server, "--interpreter", python, "--name", "server", "--", String(port)).status == 0)
        #expect(sandbox.waitUntil { Network.httpGet(port: port)?.contains(" 200 ") == true },
                "the Python server never answered on \(port)\n\(sandbox.errLog("server"))")
        return port
    }

    /// Appends `text` with one write(2), as an editor saving a file would.
    private func append(_ text: String, to path: String) throws {
        guard let handle = FileHandle(forWritingAtPath: path) ?? {
            FileManager.default.createFile(atPath: path, contents: nil) ? FileHandle(forWritingAtPath: path) : nil
        }() else { throw SandboxError("unable to open \(path)") }
        defer { try? handle.close() }
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(text.utf8))
    }
}
