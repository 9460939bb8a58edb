import Foundation
import Testing

/// `procctl events`, and the last stderr lines kept for every exit.
@Suite("Events", .serialized, .timeLimit(.minutes(3)))
struct EventsTests {
    /// Starts `procctl events ARGS` and waits until it is subscribed.
    static func subscribe(_ sandbox: Sandbox, _ arguments: [String]) throws -> (process: Process, stdout: String) {
        #expect(sandbox.procctl("ping").status == 0)
        let events = try sandbox.launch(Binaries.procctl, ["events"] + arguments)
        guard sandbox.waitUntil({ sandbox.read(events.stderr).contains("watching events") }) else {
            throw SandboxError("procctl events never subscribed: \(sandbox.read(events.stderr))\n\(sandbox.diagnostics)")
        }
        return (events.process, events.stdout)
    }

    static func objects(_ text: String) -> [[String: Any]] {
        text.split(separator: "\n").compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
    }

    @Test func aCrashLoopIsToldAsItHappensWithTheReasonAndTheLastStderrLines() throws {
        try withSandbox { sandbox in
            let events = try Self.subscribe(sandbox, ["--json"])
            sandbox.startFixture("crashy", ["--stderr", "database unreachable", "--exit", "3"],
                                 options: ["--max-restarts", "1", "--min-uptime", "5000"])
            var seen: [[String: Any]] = []
            let errored = sandbox.waitUntil {
                seen = Self.objects(sandbox.read(events.stdout))
                return seen.contains { $0["event"] as? String == "errored" }
            }
            #expect(errored, "no errored event: \(sandbox.read(events.stdout))\n\(sandbox.diagnostics)")
            let kinds = seen.map { $0["event"] as? String ?? "?" }
            #expect(kinds == ["start", "online", "exit", "restart", "start", "online", "exit", "errored"], "\(kinds)")
            for event in seen {
                #expect(event["app"] as? String == "crashy")
                #expect(event["id"] as? Int == 0)
                #expect(event["pid"] as? Int != nil, "\(event)")
                #expect((event["time"] as? String)?.hasSuffix("Z") == true)
            }
            let exit = try #require(seen.first { $0["event"] as? String == "exit" })
            #expect(exit["code"] as? Int == 3)
            #expect(exit["uptime_ms"] as? Int != nil)
            #expect((exit["reason"] as? String)?.contains("exit code 3") == true, "\(exit)")
            #expect((exit["stderr_tail"] as? [String])?.last == "database unreachable", "\(exit)")
            let last = try #require(seen.last)
            #expect((last["reason"] as? String)?.contains("max_restarts") == true, "\(last)")
            #expect((last["stderr_tail"] as? [String])?.last == "database unreachable", "\(last)")
            kill(events.process.processIdentifier, SIGTERM)
        }
    }

    /// One restart, one `restart` event, counted: not one when asked and another when the
    /// exit relaunches the process.
    @Test func aRestartIsToldOnce() throws {
        try withSandbox { sandbox in
            #expect(sandbox.startFixture("again", ["--stay"]).status == 0)
            let events = try Self.subscribe(sandbox, ["--json"])
            for round in 1...2 {
                #expect(sandbox.procctl("restart", "again").status == 0)
                var seen: [[String: Any]] = []
                let online = sandbox.waitUntil {
                    seen = Self.objects(sandbox.read(events.stdout))
                    return seen.filter { $0["event"] as? String == "online" }.count == round
                }
                #expect(online, "not online again: \(sandbox.read(events.stdout))")
                let restarts = seen.filter { $0["event"] as? String == "restart" }
                #expect(restarts.count == round, "\(seen.map { $0["event"] as? String ?? "?" })")
                #expect(restarts.last?["restarts"] as? Int == round, "\(restarts)")
            }
            let kinds = Self.objects(sandbox.read(events.stdout)).map { $0["event"] as? String ?? "?" }
            #expect(kinds == ["stopping", "exit", "restart", "start", "online", "stopping", "exit", "restart", "start", "online"], "\(kinds)")
            kill(events.process.processIdentifier, SIGTERM)
        }
    }

    @Test func theHumanFormIsOneLinePerEventAndTargetsFilter() throws {
        try withSandbox { sandbox in
            #expect(sandbox.startFixture("other", ["--stay"]).status == 0)
            let events = try Self.subscribe(sandbox, ["watched"])
            #expect(sandbox.startFixture("watched", ["--stay"]).status == 0)
            #expect(sandbox.procctl("restart", "other").status == 0)
            #expect(sandbox.procctl("stop", "watched").status == 0)
            let told = sandbox.waitUntil { sandbox.read(events.stdout).contains(" stopped") }
            let text = sandbox.read(events.stdout)
            #expect(told, "\(text)\n\(sandbox.diagnostics)")
            let lines = text.split(separator: "\n").map(String.init)
            #expect(lines.allSatisfy { $0.contains("watched#0 (id 1)") }, "\(lines)")
            #expect(lines.contains { $0.contains(" start pid ") })
            #expect(lines.contains { $0.contains(" stopping pid ") && $0.contains("stop requested") }, "\(lines)")
            #expect(!text.contains("{"), "human form printed JSON: \(text)")
            kill(events.process.processIdentifier, SIGTERM)
        }
    }

    @Test func describeShowsTheLastStderrLinesOfTheLastExit() throws {
        try withSandbox { sandbox in
            #expect(sandbox.startFixture("once", ["--stderr", "config key 'port' missing", "--exit", "1"],
                                         options: ["--no-autorestart"]).status == 0)
            _ = try sandbox.waitForStatus("once", "stopped")
            let json = sandbox.procctl("describe", "once", "--json")
            let entry = try #require((try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]])?.first)
            #expect((entry["stderr_tail"] as? [String])?.last == "config key 'port' missing", "\(json)")
            let human = sandbox.procctl("describe", "once")
            #expect(human.stdout.contains("| config key 'port' missing"), "\(human)")
        }
    }

    @Test func anErroredStartPrintsTheLastStderrLine() throws {
        try withSandbox { sandbox in
            let result = sandbox.startFixture("broken", ["--stderr", "cannot bind: address in use", "--exit", "2"],
                                              options: ["--wait-ready", "--max-restarts", "1", "--min-uptime", "5000"])
            #expect(result.status == 1, "\(result)")
            #expect(result.stderr.contains("errored"), "\(result)")
            #expect(result.stderr.contains("last stderr line: cannot bind: address in use"), "\(result)")
        }
    }

    @Test func aSubscriberThatNeverReadsIsDroppedAndTheDaemonGoesOn() throws {
        try withSandbox { sandbox in
            #expect(sandbox.procctl("ping").status == 0)
            // A raw subscriber that never reads: its queue fills, then procd drops it.
            let fd = try #require(Network.connectUnix(sandbox.socketPath))
            defer { close(fd) }
            #expect(Network.send(fd, "{\"id\":1,\"cmd\":\"events\",\"args\":{}}\n"))
            // Four crash-looping instances fill the 1 MiB queue four times as fast; the long
            // wait is for a machine busy with the rest of the suite (seconds when idle).
            #expect(sandbox.startFixture("noisy", ["--exit", "1"],
                                         options: ["--instances", "4", "--max-restarts", "100000", "--min-uptime", "0"]).status == 0)
            // Dropped for the size of its queue, or, on a machine too slow to fill it in
            // time, for not reading for the stall limit: either way the daemon goes on.
            let dropped = sandbox.waitUntil(timeout: .seconds(120)) {
                let log = sandbox.daemonLog
                return log.contains("dropped an event subscriber") || log.contains("dropped a client that did not read its reply")
            }
            #expect(dropped, "\(sandbox.diagnostics)")
            #expect(sandbox.procctl("ping").status == 0)
        }
    }
}
