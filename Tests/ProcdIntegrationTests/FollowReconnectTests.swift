import Foundation
import Testing

/// `procctl events` and `logs -f` outlive a daemon restart: the keeper brings a killed
/// daemon back, `procctl update` replaces it, and the followers reconnect, say so on
/// stderr, and go on printing.
@Suite("Following across daemon restarts", .serialized, .timeLimit(.minutes(1)))
struct FollowReconnectTests {
    @Test(arguments: ["crash", "update"])
    func eventsAndLogsFollowReconnect(how: String) throws {
        try withSandbox { sandbox in
            #expect(sandbox.startFixture("before", ["--stay"]).status == 0)
            let events = try sandbox.launch(Binaries.procctl, ["events", "--json"])
            #expect(sandbox.waitUntil { sandbox.read(events.stderr).contains("watching events") })
            let logs = try sandbox.launch(Binaries.procctl, ["logs", "-f", "--raw", "--lines", "0"])
            defer {
                for process in [events.process, logs.process] where process.isRunning {
                    kill(process.processIdentifier, SIGKILL)
                    process.waitUntilExit()
                }
            }
            // The log follower is attached once a new line reaches it.
            #expect(sandbox.procctl("restart", "before").status == 0)
            #expect(sandbox.waitUntil { sandbox.read(events.stdout).contains("\"online\"") })

            let daemon = try #require(sandbox.daemonPid)
            if how == "crash" {
                #expect(kill(daemon, SIGKILL) == 0)
            } else {
                #expect(sandbox.procctl("update").status == 0)
            }
            let back = sandbox.waitUntil(timeout: .seconds(15)) {
                sandbox.read(events.stderr).contains("reconnected") && sandbox.read(logs.stderr).contains("reconnected")
            }
            #expect(back, "events: \(sandbox.read(events.stderr))\nlogs: \(sandbox.read(logs.stderr))\n\(sandbox.diagnostics)")
            #expect(sandbox.read(events.stderr).contains("procctl: warning: the connection to procd ended"), "\(sandbox.read(events.stderr))")
            sandbox.noteDaemon()

            #expect(sandbox.startFixture("after", ["--lines", "2", "--stay"]).status == 0)
            #expect(sandbox.waitUntil { sandbox.read(events.stdout).contains("\"app\":\"after\"") },
                    "no event after the restart: \(sandbox.read(events.stdout))")
            #expect(sandbox.waitUntil { sandbox.read(logs.stdout).contains("line 2") }, "no log line after the restart: \(sandbox.read(logs.stdout))")
            #expect(events.process.isRunning && logs.process.isRunning)
        }
    }

    @Test func aDaemonThatDoesNotComeBackEndsTheFollowerWithAnError() throws {
        try withSandbox { sandbox in
            sandbox.withoutKeeper = true
            #expect(sandbox.procctl("ping").status == 0)
            let logs = try sandbox.launch(Binaries.procctl, ["logs", "-f", "--lines", "0"])
            defer { if logs.process.isRunning { kill(logs.process.processIdentifier, SIGKILL) } }
            #expect(sandbox.waitUntil { sandbox.procctl("metrics").stdout.contains("procd_daemon_clients 2\n") })
            let daemon = try #require(sandbox.daemonPid)
            #expect(kill(daemon, SIGKILL) == 0)
            #expect(sandbox.waitUntil(timeout: .seconds(20)) { !logs.process.isRunning }, "the follower never gave up")
            #expect(logs.process.terminationStatus == 1)
            let stderr = sandbox.read(logs.stderr)
            #expect(stderr.contains("reconnecting for up to 10 s") && stderr.contains("procctl: error: procd did not answer again within 10 s"), "\(stderr)")
        }
    }
}
