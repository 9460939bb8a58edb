import Foundation
import Testing

/// Automatic restarts, giving up, and the manual `restart` and `reset`.
@Suite("Restart policies", .serialized, .timeLimit(.minutes(1)))
struct RestartTests {
    @Test func killedProcessIsRespawnedWithANewPid() throws {
        try withSandbox { sandbox in
            #expect(sandbox.startFixture("victim", []).status == 0)
            let before = try #require(try sandbox.waitForStatus("victim", "online").first)
            let oldPid = try #require(before.pid)
            #expect(before.restarts == 0)
            #expect(kill(oldPid, SIGKILL) == 0)
            var after: ListedProcess?
            let respawned = try sandbox.waitUntil {
                after = try sandbox.processes(named: "victim").first
                return after?.status == "online" && after?.pid != nil && after?.pid != oldPid
            }
            #expect(respawned, "no new pid after SIGKILL of \(oldPid)\n\(sandbox.diagnostics)")
            #expect(after?.id == before.id)
            #expect(after?.restarts == 1)
            #expect(!ProcessProbe.isAlive(oldPid))
            if let newPid = after?.pid { #expect(ProcessProbe.isAlive(newPid)) }
        }
    }

    @Test func crashLoopEndsErroredAfterMaxRestartsPlusOneRuns() throws {
        try withSandbox { sandbox in
            let result = sandbox.startFixture("crashy", ["--lines", "1", "--exit", "1"], options: ["--max-restarts", "2"])
            #expect(result.status <= 1, "\(result)")
            let crashy = try #require(try sandbox.waitForStatus("crashy", "errored").first)
            #expect(crashy.pid == nil)
            #expect(crashy.restarts == 2)
            #expect(crashy.exitCode == 1)
            // Each run printed one line before exiting: three runs, then no more.
            let runs = sandbox.outLog("crashy").components(separatedBy: "line 1\n").count - 1
            #expect(runs == 3, "ran \(runs) times\n\(sandbox.diagnostics)")

            let reason = try #require(crashy.reason, "errored without a reason")
            #expect(reason.contains("max_restarts"), "\(reason)")
            let describe = sandbox.procctl("describe", "crashy")
            #expect(describe.status == 0)
            #expect(describe.stdout.contains(reason), "describe does not give the reason:\n\(describe.stdout)")
            #expect(describe.stdout.contains("errored"))
            let logged = sandbox.daemonLog.split(separator: "\n").contains { $0.contains("crashy") && $0.contains(reason) }
            #expect(logged, "procd.log does not give the reason\n\(sandbox.diagnostics)")
        }
    }

    @Test func restartStartsAStoppedApp() throws {
        try withSandbox { sandbox in
            #expect(sandbox.startFixture("sleeper", []).status == 0)
            let first = try #require(try sandbox.waitForStatus("sleeper", "online").first?.pid)
            #expect(sandbox.procctl("stop", "sleeper").status == 0)
            try sandbox.waitForStatus("sleeper", "stopped")
            #expect(!ProcessProbe.isAlive(first))

            let result = sandbox.procctl("restart", "sleeper")
            #expect(result.status == 0, "\(result)")
            let again = try #require(try sandbox.waitForStatus("sleeper", "online").first)
            #expect(again.pid != nil && again.pid != first)
            if let pid = again.pid { #expect(ProcessProbe.isAlive(pid)) }
        }
    }

    @Test func restartStartsAnErroredApp() throws {
        try withSandbox { sandbox in
            // Crashes until the file 'go' exists in its working directory, then stays up.
            let script = try sandbox.write("flaky.sh", "if [ -f go ]; then exec sleep 600; fi\necho crash\nexit 3\n")
            _ = sandbox.procctl("start", script, "--max-restarts", "1")
            let errored = try #require(try sandbox.waitForStatus("flaky", "errored").first)
            #expect(errored.exitCode == 3)
            try sandbox.write("go", "")

            let result = sandbox.procctl("restart", "flaky")
            #expect(result.status == 0, "\(result)")
            let online = try #require(try sandbox.waitForStatus("flaky", "online").first)
            let pid = try #require(online.pid)
            #expect(ProcessProbe.isAlive(pid))
            #expect(online.unstableRestarts == 0)
        }
    }

    @Test func resetSetsTheCountersToZero() throws {
        try withSandbox { sandbox in
            #expect(sandbox.startFixture("counted", []).status == 0)
            for expected in 1...2 {
                let pid = try #require(try sandbox.waitForStatus("counted", "online").first?.pid)
                kill(pid, SIGKILL)
                let counted = try sandbox.waitUntil {
                    let p = try sandbox.processes(named: "counted").first
                    return p?.restarts == expected && p?.status == "online" && p?.pid != pid
                }
                #expect(counted, "restarts never reached \(expected)")
            }
            let before = try #require(try sandbox.processes(named: "counted").first)
            #expect(before.restarts == 2)

            let result = sandbox.procctl("reset", "counted")
            #expect(result.status == 0, "\(result)")
            let after = try #require(try sandbox.processes(named: "counted").first)
            #expect(after.restarts == 0)
            #expect(after.unstableRestarts == 0)
            #expect(after.pid == before.pid)
            #expect(after.status == "online")
        }
    }

    @Test func noAutorestartLeavesAnExitedProcessStopped() throws {
        try withSandbox { sandbox in
            _ = sandbox.startFixture("once", ["--exit", "7"], options: ["--no-autorestart"])
            let once = try #require(try sandbox.waitForStatus("once", "stopped").first)
            #expect(once.exitCode == 7)
            #expect(once.restarts == 0)
        }
    }

    @Test func exitCodeInStopExitCodesMeansStopped() throws {
        try withSandbox { sandbox in
            _ = sandbox.startFixture("done", ["--exit-after", "100", "3"], options: ["--stop-exit-codes", "0,3"])
            let done = try #require(try sandbox.waitForStatus("done", "stopped").first)
            #expect(done.exitCode == 3)
            #expect(done.restarts == 0)
        }
    }

    @Test func manualRestartKeepsTheIdAndCounts() throws {
        try withSandbox { sandbox in
            #expect(sandbox.startFixture("steady", []).status == 0)
            let before = try #require(try sandbox.waitForStatus("steady", "online").first)
            let oldPid = try #require(before.pid)
            let result = sandbox.procctl("restart", "steady")
            #expect(result.status == 0, "\(result)")
            var after: ListedProcess?
            let replaced = try sandbox.waitUntil {
                after = try sandbox.processes(named: "steady").first
                return after?.status == "online" && after?.pid != nil && after?.pid != oldPid
            }
            #expect(replaced, "restart did not replace pid \(oldPid)")
            #expect(after?.id == before.id)
            #expect(after?.restarts == 1)
            #expect(!ProcessProbe.isAlive(oldPid))
        }
    }
}
