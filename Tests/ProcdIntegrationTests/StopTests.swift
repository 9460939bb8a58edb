import Foundation
import Testing

/// `stop`, `delete` and `signal`: what reaches the process tree, and what is left of it.
@Suite("Stopping and signalling", .serialized, .timeLimit(.minutes(1)))
struct StopTests {
    @Test func programIgnoringSIGTERMIsKilledAfterKillTimeout() throws {
        try withSandbox { sandbox in
            let result = sandbox.startFixture("stubborn", ["--ignore-term", "--ready-line"], options: ["--kill-timeout", "300"])
            #expect(result.status == 0, "\(result)")
            let pid = try #require(try sandbox.waitForStatus("stubborn", "online").first?.pid)
            try sandbox.waitForOutput("stubborn", containing: "ready")   // SIGTERM is ignored from here on

            let clock = ContinuousClock()
            let began = clock.now
            let stop = sandbox.procctl("stop", "stubborn")
            #expect(stop.status == 0, "\(stop)")
            let stopped = try #require(try sandbox.waitForStatus("stubborn", "stopped", timeout: .seconds(5)).first)
            let elapsed = clock.now - began
            // It ignored SIGTERM, so only the SIGKILL after 300 ms ended it, well before the default 1600 ms.
            #expect(elapsed >= .milliseconds(250), "stopped after \(elapsed): was SIGTERM really ignored?")
            #expect(elapsed < .milliseconds(1500), "stopped after \(elapsed), kill_timeout was 300 ms")
            #expect(stopped.pid == nil)
            #expect(stopped.exitSignal == "SIGKILL", "exit_signal \(stopped.exitSignal ?? "null")")
            #expect(!ProcessProbe.isAlive(pid))
        }
    }

    @Test func stopLeavesNoGrandchildAlive() throws {
        try withSandbox { sandbox in
            #expect(sandbox.startFixture("forker", ["--fork-grandchild"]).status == 0)
            let pid = try #require(try sandbox.waitForStatus("forker", "online").first?.pid)
            let grandchild = try grandchildPid(sandbox, "forker")
            #expect(ProcessProbe.isAlive(grandchild))
            #expect(grandchild != pid)

            let stop = sandbox.procctl("stop", "forker")
            #expect(stop.status == 0, "\(stop)")
            try sandbox.waitForStatus("forker", "stopped")
            #expect(sandbox.waitUntil(timeout: .seconds(3)) { !ProcessProbe.isAlive(grandchild) },
                    "grandchild \(grandchild) survived stop")
            #expect(!ProcessProbe.isAlive(pid))
        }
    }

    @Test func stopKillsAGrandchildThatIgnoresSIGTERM() throws {
        try withSandbox { sandbox in
            let options = ["--kill-timeout", "300"]
            #expect(sandbox.startFixture("tree", ["--ignore-term", "--fork-grandchild"], options: options).status == 0)
            try sandbox.waitForStatus("tree", "online")
            let grandchild = try grandchildPid(sandbox, "tree")

            #expect(sandbox.procctl("stop", "tree").status == 0)
            try sandbox.waitForStatus("tree", "stopped")
            #expect(sandbox.waitUntil(timeout: .seconds(3)) { !ProcessProbe.isAlive(grandchild) },
                    "grandchild \(grandchild) survived stop")
        }
    }

    @Test func deleteRemovesTheAppFromTheList() throws {
        try withSandbox { sandbox in
            #expect(sandbox.startFixture("doomed", []).status == 0)
            #expect(sandbox.startFixture("keeper", []).status == 0)
            let pid = try #require(try sandbox.waitForStatus("doomed", "online").first?.pid)

            let result = sandbox.procctl("delete", "doomed")
            #expect(result.status == 0, "\(result)")
            #expect(try sandbox.waitUntil { try sandbox.processes(named: "doomed").isEmpty })
            #expect(try sandbox.list().map(\.name) == ["keeper"])
            #expect(sandbox.waitUntil(timeout: .seconds(3)) { !ProcessProbe.isAlive(pid) })
            let again = sandbox.procctl("describe", "doomed")
            #expect(again.status == 1, "\(again)")
        }
    }

    @Test func signalReachesTheProcess() throws {
        try withSandbox { sandbox in
            #expect(sandbox.startFixture("listener", ["--report-signals", "--ready-line"]).status == 0)
            let pid = try #require(try sandbox.waitForStatus("listener", "online").first?.pid)
            try sandbox.waitForOutput("listener", containing: "ready")

            let result = sandbox.procctl("signal", "SIGUSR1", "listener")
            #expect(result.status == 0, "\(result)")
            try sandbox.waitForOutput("listener", containing: "signal SIGUSR1")
            let after = try #require(try sandbox.processes(named: "listener").first)
            #expect(after.pid == pid)
            #expect(after.status == "online")

            let bad = sandbox.procctl("signal", "SIGNOPE", "listener")
            #expect(bad.status == 2, "\(bad)")
        }
    }

    @Test func stopOfAStoppedAppIsHarmless() throws {
        try withSandbox { sandbox in
            #expect(sandbox.startFixture("idle", []).status == 0)
            try sandbox.waitForStatus("idle", "online")
            #expect(sandbox.procctl("stop", "idle").status == 0)
            let again = sandbox.procctl("stop", "idle")
            #expect(again.status == 0, "\(again)")
            try sandbox.waitForStatus("idle", "stopped")
        }
    }

    /// The pid the fixture printed as `grandchild PID`.
    private func grandchildPid(_ sandbox: Sandbox, _ name: String) throws -> Int32 {
        let log = try sandbox.waitForOutput(name, containing: "grandchild ")
        let line = try #require(log.split(separator: "\n").first { $0.hasPrefix("grandchild ") })
        let pid = try #require(Int32(line.dropFirst("grandchild ".count)))
        sandbox.track(pid)
        return pid
    }
}
