import Foundation
import Testing

/// The keeper: apps outlive a crash of the daemon, with nothing restarted and no log line lost.
@Suite("Keeper", .serialized, .timeLimit(.minutes(3)))
struct KeeperTests {
    /// Two writers that number their lines (one fast enough to fill its pipe while nobody
    /// reads), and one app that exits with code 7 when asked.
    static func startApps(_ sandbox: Sandbox) throws -> String {
        let trigger = sandbox.work + "/exit-now"
        #expect(sandbox.procctl("start", "/bin/sh", "--name", "steady", "--",
                                "-c", "i=0; while true; do echo \"steady $i\"; i=$((i+1)); sleep 0.01; done").status == 0)
        #expect(sandbox.procctl("start", "python3", "--name", "burst", "--", "-u", "-c", """
            import sys, time
            i = 0
            while True:
                for _ in range(200):
                    sys.stdout.write("burst %d %s\\n" % (i, "x" * 200)); i += 1
                sys.stdout.flush(); time.sleep(0.02)
            """).status == 0)
        #expect(sandbox.procctl("start", "/bin/sh", "--name", "quitter", "--min-uptime", "10", "--",
                                "-c", "while [ ! -e \(trigger) ]; do sleep 0.02; done; rm -f \(trigger); exit 7").status == 0)
        try sandbox.waitForStatus("steady", "online")
        try sandbox.waitForStatus("burst", "online")
        try sandbox.waitForStatus("quitter", "online")
        return trigger
    }

    /// Line numbers of `prefix N` lines, in file order.
    static func numbers(_ text: String, prefix: String) -> [Int] {
        text.split(separator: "\n").compactMap { line in
            guard line.hasPrefix(prefix + " ") else { return nil }
            return Int(line.dropFirst(prefix.count + 1).prefix { $0.isNumber })
        }
    }

    static func gaps(_ numbers: [Int]) -> [String] {
        zip(numbers, numbers.dropFirst()).compactMap { $1 == $0 + 1 ? nil : "\($0)→\($1)" }
    }

    @Test func twentyDaemonCrashesLoseNoProcessAndNoLogLine() throws {
        try withSandbox { sandbox in
            let trigger = try Self.startApps(sandbox)
            let keeper = try sandbox.waitForKeeper()
            let before = try sandbox.list()
            let steady = try #require(before.first { $0.name == "steady" }?.pid)
            let burst = try #require(before.first { $0.name == "burst" }?.pid)
            for round in 1...20 {
                let daemon = try #require(sandbox.daemonPid)
                let quitter = try #require(try sandbox.processes(named: "quitter").first?.pid)
                // The keeper held still, the outage lasts until the quitter has exited.
                #expect(kill(keeper, SIGSTOP) == 0)
                #expect(kill(daemon, SIGKILL) == 0)
                if round % 5 == 1 {
                    // Nobody reads now: the burst writer fills its pipe and blocks there.
                    #expect(sandbox.waitUntil {
                        (try? String(contentsOfFile: "/proc/\(burst)/wchan", encoding: .utf8))?.contains("pipe_write") == true
                    }, "round \(round): the burst writer never blocked on its pipe")
                }
                FileManager.default.createFile(atPath: trigger, contents: nil)
                #expect(sandbox.waitUntil { ProcessProbe.state(quitter) == "Z" }, "round \(round): the quitter did not exit")
                #expect(kill(keeper, SIGCONT) == 0)
                #expect(sandbox.waitUntil {
                    sandbox.noteDaemon()
                    return sandbox.daemonPid != daemon && sandbox.procctl("ping").status == 0
                }, "round \(round): no daemon after the crash\n\(sandbox.diagnostics)")
                let quitters = try sandbox.waitForStatus("quitter", "online")
                let listed = try sandbox.list()
                #expect(listed.first { $0.name == "steady" }?.pid == steady, "round \(round): \(listed)")
                #expect(listed.first { $0.name == "burst" }?.pid == burst, "round \(round): \(listed)")
                #expect(listed.filter { $0.name != "quitter" }.allSatisfy { $0.restarts == 0 }, "round \(round): \(listed)")
                #expect(quitters.first?.restarts == round, "round \(round): \(quitters)")
                #expect(quitters.first?.pid != quitter)
                let described = sandbox.procctl("list", "--json").stdout
                #expect(try sandbox.processes(named: "quitter").first?.exitCode == 7, "round \(round): \(described)")
            }
            #expect(sandbox.daemonLog.contains("exited while procd was away (exit code 7)"), "\(sandbox.daemonLog.suffix(2000))")
            #expect(sandbox.keeperPid == keeper, "the keeper changed")
            // Every line, in order, across twenty outages (the burst writer blocked on its
            // full pipe each time and carried on).
            #expect(sandbox.procctl("stop", "steady", "burst").status == 0)
            for name in ["steady", "burst"] {
                let numbers = Self.numbers(sandbox.outLog(name), prefix: name)
                #expect(numbers.count > 100, "\(name): \(numbers.count) lines")
                #expect(numbers.first == 0 && Self.gaps(numbers).isEmpty, "\(name): gaps \(Self.gaps(numbers).prefix(10))")
            }
            // No orphan: every process of this home is in the table.
            let table = Set(try sandbox.list().compactMap(\.pid))
            let marked = ProcessProbe.markedPids(home: sandbox.home)
            #expect(marked.isSubset(of: table), "not in the table: \(marked.subtracting(table))")
        }
    }

    @Test func updateKeepsTheKeeperAndACrashAfterItIsSurvived() throws {
        try withSandbox { sandbox in
            _ = try Self.startApps(sandbox)
            let before = try sandbox.list()
            #expect(sandbox.procctl("update").status == 0)
            let daemon = try #require(sandbox.daemonPid)
            #expect(kill(daemon, SIGKILL) == 0)
            #expect(sandbox.waitUntil { sandbox.noteDaemon(); return sandbox.daemonPid != daemon && sandbox.procctl("ping").status == 0 })
            let after = try sandbox.list()
            #expect(after.map(\.pid) == before.map(\.pid), "\(before)\n\(after)")
            #expect(after.allSatisfy { $0.restarts == 0 })
        }
    }

    @Test func aKilledKeeperLeavesTheDaemonAndAppsRunning() throws {
        try withSandbox { sandbox in
            _ = try Self.startApps(sandbox)
            let before = try sandbox.list()
            let keeper = try sandbox.waitForKeeper()
            #expect(kill(keeper, SIGKILL) == 0)
            #expect(sandbox.waitUntil { sandbox.daemonLog.contains("the keeper is gone") }, "\(sandbox.diagnostics)")
            #expect(sandbox.procctl("restart", "steady").status == 0)
            let after = try sandbox.list()
            #expect(after.first { $0.name == "burst" }?.pid == before.first { $0.name == "burst" }?.pid)
            // kill still stops everything, and the next start has a keeper again.
            #expect(sandbox.procctl("kill").status == 0)
            #expect(ProcessProbe.markedPids(home: sandbox.home).isEmpty)
            #expect(sandbox.procctl("ping").status == 0)
            #expect(sandbox.waitUntil { sandbox.keeperPid != nil && sandbox.keeperPid != keeper })
        }
    }

    @Test func killingKeeperAndDaemonFallsBackToStartingTheTableAgain() throws {
        try withSandbox { sandbox in
            _ = try Self.startApps(sandbox)
            let before = try sandbox.list()
            let keeper = try sandbox.waitForKeeper()
            let daemon = try #require(sandbox.daemonPid)
            #expect(kill(keeper, SIGKILL) == 0)
            #expect(kill(daemon, SIGKILL) == 0)
            #expect(sandbox.waitUntil { !ProcessProbe.isAlive(daemon) })
            #expect(sandbox.procctl("ping").status == 0)
            let steady = try sandbox.waitForStatus("steady", "online")
            #expect(steady.first?.pid != before.first { $0.name == "steady" }?.pid)
            // What the dead pair left is stopped, not kept as duplicates.
            for pid in before.compactMap(\.pid) {
                #expect(sandbox.waitUntil(timeout: .seconds(5)) { !ProcessProbe.isAlive(pid) }, "old pid \(pid) still runs")
            }
        }
    }

    /// The first daemon (the keeper's fork) goes on serving while the keeper is held still:
    /// what does not fit in the link waits instead of blocking the daemon. Deleting 150
    /// processes tells the keeper to drop 300 output streams, more than the link holds.
    @Test func aKeeperHeldStillDoesNotStopTheFirstDaemon() throws {
        try withSandbox { sandbox in
            #expect(sandbox.procctl("start", "/bin/sleep", "--name", "many", "--instances", "150", "--", "1000").status == 0)
            try sandbox.waitForStatus("many", "online", count: 150, timeout: .seconds(30))
            let keeper = try sandbox.waitForKeeper()
            #expect(kill(keeper, SIGSTOP) == 0)
            defer { kill(keeper, SIGCONT) }
            let delete = sandbox.run(Binaries.procctl, ["delete", "many"], timeout: .seconds(10))
            #expect(delete.status == 0, "\(delete)")
            let ping = sandbox.run(Binaries.procctl, ["ping"], timeout: .seconds(5))
            #expect(ping.status == 0, "\(ping)")
        }
    }

    @Test func healthChecksGoOnAfterACrash() throws {
        try withSandbox { sandbox in
            let port = Network.freePort()
            let sick = sandbox.work + "/sick"
            let server = try sandbox.write("server.py", """
                import http.server, os
                class H(http.server.BaseHTTPRequestHandler):
                    def do_GET(self):
                        self.send_response(500 if os.path.exists("\(sick)") else 200); self.end_headers()
                    def log_message(self, *a): pass
                http.server.HTTPServer(("127.0.0.1", \(port)), H).serve_forever()
                """)
            #expect(sandbox.procctl("start", "python3", "--name", "probed", "--health-url", "http://127.0.0.1:\(port)/",
                                    "--health-interval", "200", "--health-retries", "2", "--", server).status == 0)
            let before = try #require(try sandbox.waitForStatus("probed", "online").first)
            let daemon = try #require(sandbox.daemonPid)
            #expect(kill(daemon, SIGKILL) == 0)
            #expect(sandbox.waitUntil { sandbox.noteDaemon(); return sandbox.daemonPid != daemon && sandbox.procctl("ping").status == 0 })
            #expect(try sandbox.processes(named: "probed").first?.pid == before.pid, "the crash restarted it")
            FileManager.default.createFile(atPath: sick, contents: nil)
            // The new daemon probes the process it adopted: failing probes restart it.
            #expect(try sandbox.waitUntil(timeout: .seconds(30)) { (try sandbox.processes(named: "probed").first?.restarts ?? 0) >= 1 },
                    "no health restart after the crash\n\(sandbox.diagnostics)")
            try? FileManager.default.removeItem(atPath: sick)
        }
    }
}
