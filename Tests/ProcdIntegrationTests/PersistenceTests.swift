import Foundation
import Testing

/// What survives the daemon: a crash (`kill -9`), `procctl kill`, `save`/`resurrect`, a
/// corrupt `state.json`, `update` in place, and the systemd unit of `startup`.
@Suite("Persistence", .serialized, .timeLimit(.minutes(1)))
struct PersistenceTests {
    /// Without a keeper (or with the keeper dead too): the next daemon stops what the dead
    /// one left (its pipes died with it) and starts the table again.
    @Test func crashedDaemonComesBackWithRunningAppsOnlineAndStoppedOnesStopped() throws {
        try withSandbox { sandbox in
            sandbox.withoutKeeper = true
            #expect(sandbox.startFixture("web", [], options: ["--instances", "2"]).status == 0)
            #expect(sandbox.startFixture("idle", []).status == 0)
            let web = try sandbox.waitForStatus("web", "online", count: 2)
            let idlePid = try #require(try sandbox.waitForStatus("idle", "online").first?.pid)
            #expect(sandbox.procctl("stop", "idle").status == 0)
            try sandbox.waitForStatus("idle", "stopped")
            let oldPids = web.compactMap(\.pid)
            #expect(oldPids.count == 2)
            let daemon = try #require(sandbox.daemonPid)

            #expect(kill(daemon, SIGKILL) == 0)
            #expect(sandbox.waitUntil { !ProcessProbe.isAlive(daemon) }, "procd \(daemon) survived SIGKILL")

            let listed = sandbox.procctl("list")
            #expect(listed.status == 0, "\(listed)")
            #expect(listed.stdout.contains("web") && listed.stdout.contains("idle"), "\(listed)")
            #expect(sandbox.daemonPid != nil && sandbox.daemonPid != daemon, "no new daemon after the crash")
            let after = try sandbox.waitForStatus("web", "online", count: 2)
            let newPids = after.compactMap(\.pid)
            #expect(newPids.count == 2)
            #expect(Set(newPids).isDisjoint(with: oldPids), "old \(oldPids), new \(newPids)")
            #expect(after.map(\.id).sorted() == web.map(\.id).sorted())
            let idle = try #require(try sandbox.processes(named: "idle").first)
            #expect(idle.status == "stopped", "a stopped app was started again: \(idle.status)")
            #expect(idle.pid == nil)
            #expect(!ProcessProbe.isAlive(idlePid))
            for pid in oldPids {
                #expect(sandbox.waitUntil(timeout: .seconds(5)) { !ProcessProbe.isAlive(pid) },
                        "pid \(pid) of the crashed daemon still runs\n\(sandbox.diagnostics)")
            }
            for pid in newPids { #expect(ProcessProbe.isAlive(pid)) }
        }
    }

    @Test
    func appStartedJustBeforeACrashIsRestored() throws {
        try withSandbox { sandbox in
            for round in 1...5 {
                let name = "quick\(round)"
                let pid = try crashRightAfter(sandbox, ["start", Binaries.fixture, "--name", name])
                let restored = try sandbox.processes(named: name)
                #expect(restored.count == 1, "round \(round): \(name) was lost by the crash\n\(sandbox.diagnostics)")
                // The keeper's daemon adopts it (same pid); a pid it does not adopt is stopped.
                #expect(sandbox.waitUntil(timeout: .seconds(3)) {
                    !ProcessProbe.isAlive(pid) || (try? sandbox.processes(named: name))?.first?.pid == pid
                }, "round \(round): pid \(pid) of \(name) was left running, managed by no one")
            }
        }
    }

    @Test
    func appRestartedJustBeforeACrashLeavesNoOrphan() throws {
        try withSandbox { sandbox in
            for round in 1...5 {
                let name = "again\(round)"
                #expect(sandbox.startFixture(name, []).status == 0)
                try sandbox.waitForStatus(name, "online")
                let pid = try crashRightAfter(sandbox, ["restart", name])
                let restored = try sandbox.waitForStatus(name, "online")
                #expect(restored.first?.restarts == 1, "round \(round): the restart was not counted after the crash")
                #expect(sandbox.waitUntil(timeout: .seconds(3)) {
                    !ProcessProbe.isAlive(pid) || (try? sandbox.processes(named: name))?.first?.pid == pid
                }, "round \(round): pid \(pid) started by restart was left running, managed by no one")
            }
        }
    }

    @Test func killForgetsTheTable() throws {
        try withSandbox { sandbox in
            #expect(sandbox.startFixture("forgotten", []).status == 0)
            let pid = try #require(try sandbox.waitForStatus("forgotten", "online").first?.pid)
            let result = sandbox.procctl("kill")
            #expect(result.status == 0, "\(result)")
            #expect(sandbox.waitUntil(timeout: .seconds(3)) { !ProcessProbe.isAlive(pid) }, "pid \(pid) outlived kill")
            let listed = try sandbox.list()
            #expect(listed.isEmpty, "the table came back after kill: \(listed.map(\.name))")
        }
    }

    @Test func saveKillResurrectRoundTrip() throws {
        try withSandbox { sandbox in
            #expect(sandbox.startFixture("alpha", [], options: ["--instances", "2"]).status == 0)
            #expect(sandbox.startFixture("beta", []).status == 0)
            let alpha = try sandbox.waitForStatus("alpha", "online", count: 2).compactMap(\.pid)
            try sandbox.waitForStatus("beta", "online")
            #expect(sandbox.procctl("stop", "beta").status == 0)
            try sandbox.waitForStatus("beta", "stopped")

            let saved = sandbox.procctl("save")
            #expect(saved.status == 0, "\(saved)")
            #expect(FileManager.default.fileExists(atPath: sandbox.home + "/dump.json"))
            #expect(sandbox.procctl("kill").status == 0)
            for pid in alpha { #expect(sandbox.waitUntil(timeout: .seconds(3)) { !ProcessProbe.isAlive(pid) }) }

            let resurrected = sandbox.procctl("resurrect")
            #expect(resurrected.status == 0, "\(resurrected)")
            let back = try sandbox.waitForStatus("alpha", "online", count: 2)
            #expect(back.map(\.instance).sorted() == [0, 1])
            #expect(Set(back.compactMap(\.pid)).isDisjoint(with: alpha))
            for pid in back.compactMap(\.pid) { #expect(ProcessProbe.isAlive(pid)) }
            let beta = try sandbox.processes(named: "beta")
            #expect(beta.count == 1, "beta is not back exactly once: \(beta.map(\.status))")
            #expect(beta.first?.status == "stopped", "\(beta.map(\.status))")
            #expect(Set(try sandbox.list().map(\.name)) == ["alpha", "beta"])
        }
    }

    @Test func resurrectDoesNotDuplicateAnAppAlreadyPresent() throws {
        try withSandbox { sandbox in
            #expect(sandbox.startFixture("alpha", []).status == 0)
            #expect(sandbox.startFixture("gamma", []).status == 0)
            try sandbox.waitForStatus("alpha", "online")
            try sandbox.waitForStatus("gamma", "online")
            #expect(sandbox.procctl("save").status == 0)

            // Everything of the dump is present: nothing changes.
            let before = try sandbox.list()
            #expect(sandbox.procctl("resurrect").status == 0)
            let same = try sandbox.list()
            #expect(same.map(\.id).sorted() == before.map(\.id).sorted())
            #expect(same.compactMap(\.pid).sorted() == before.compactMap(\.pid).sorted())

            // After kill, alpha is started by hand; resurrect adds gamma only.
            #expect(sandbox.procctl("kill").status == 0)
            #expect(sandbox.startFixture("alpha", []).status == 0)
            let manual = try #require(try sandbox.waitForStatus("alpha", "online").first?.pid)
            let result = sandbox.procctl("resurrect")
            #expect(result.status == 0, "\(result)")
            try sandbox.waitForStatus("gamma", "online")
            let alpha = try sandbox.waitForStatus("alpha", "online")
            #expect(alpha.count == 1)
            #expect(alpha.first?.pid == manual, "resurrect replaced the running alpha")
            #expect(try sandbox.list().count == 2)
        }
    }

    @Test func corruptStateFileIsMovedAsideWithAWarning() throws {
        try withSandbox { sandbox in
            #expect(sandbox.procctl("ping").status == 0)
            #expect(sandbox.procctl("kill").status == 0)
            let daemon = try #require(sandbox.daemonPid)
            #expect(sandbox.waitUntil { !ProcessProbe.isAlive(daemon) })
            let statePath = sandbox.home + "/state.json"
            let garbage = "{\"apps\": [ this is not json \u{1}\u{2}"
            try garbage.write(toFile: statePath, atomically: false, encoding: .utf8)

            let result = sandbox.procctl("list")
            #expect(result.status == 0, "\(result)")
            #expect(result.stderr.contains("procctl: warning:"), "\(result)")
            #expect(result.stderr.contains(statePath), "the warning does not name the file:\n\(result)")
            #expect(sandbox.read(statePath) != garbage, "state.json still holds the garbage")
            let aside = Scenario.entries(in: sandbox.home, prefix: "state.json").filter { $0 != "state.json" && !$0.hasSuffix(".tmp") }
            #expect(aside.count == 1, "entries beside state.json: \(aside)")
            if let name = aside.first { #expect(sandbox.read(sandbox.home + "/" + name) == garbage) }

            #expect(sandbox.startFixture("fresh", []).status == 0)
            try sandbox.waitForStatus("fresh", "online")
        }
    }

    @Test func updateKeepsEveryPidAndLosesNoLogLine() throws {
        try withSandbox { sandbox in
            let counter = try sandbox.write("counter.sh", "i=0\nwhile :; do i=$((i+1)); echo $i; sleep 0.02; done\n")
            #expect(sandbox.procctl("start", counter).status == 0)
            #expect(sandbox.startFixture("pair", [], options: ["--instances", "2"]).status == 0)
            try sandbox.waitForStatus("counter", "online")
            try sandbox.waitForStatus("pair", "online", count: 2)
            #expect(sandbox.waitUntil { Scenario.lines(sandbox.outLog("counter")).count >= 10 })
            let before = try sandbox.list()
            let daemon = try #require(sandbox.daemonPid)
            let linesBefore = Scenario.lines(sandbox.outLog("counter")).count

            let result = sandbox.procctl("update")
            #expect(result.status == 0, "\(result)")
            #expect(ProcessProbe.isAlive(daemon))
            #expect(sandbox.read(sandbox.home + "/procd.pid").trimmingCharacters(in: .whitespacesAndNewlines) == "\(daemon)")
            #expect(sandbox.procctl("ping").status == 0)
            #expect(sandbox.daemonPid == daemon)

            let after = try sandbox.list()
            #expect(after.count == 3)
            for process in before {
                let match = after.first { $0.id == process.id }
                #expect(match?.pid == process.pid, "id \(process.id) changed pid across update")
                #expect(match?.status == "online")
                #expect(match?.restarts == 0)
            }
            // Half a second of lines written after the update, and not one missing.
            #expect(sandbox.waitUntil { Scenario.lines(sandbox.outLog("counter")).count >= linesBefore + 25 })
            let numbers = Scenario.lines(sandbox.outLog("counter")).compactMap { Int($0) }
            #expect(numbers == Array(1...max(numbers.count, 1)),
                    "the log has a gap or a duplicate: \(gapSummary(numbers))\n\(sandbox.diagnostics)")
        }
    }

    @Test func startupPrintGivesAUnitRunningTheForegroundDaemon() throws {
        try withSandbox { sandbox in
            let result = sandbox.procctl("startup", "--print")
            #expect(result.status == 0, "\(result)")
            let execStart = try #require(Scenario.lines(result.stdout).first { $0.hasPrefix("ExecStart=") },
                                         "no ExecStart line:\n\(result.stdout)")
            let words = execStart.dropFirst("ExecStart=".count).split(separator: " ").map(String.init)
            let program = try #require(words.first)
            #expect(program.hasPrefix("/"), "ExecStart is not an absolute path: \(execStart)")
            #expect(realPath(program) == realPath(Binaries.procd), "\(execStart) does not name \(Binaries.procd)")
            #expect(words.contains("--foreground"), "\(execStart)")
            #expect(result.stdout.contains("[Service]") && result.stdout.contains("[Install]"), "\(result.stdout)")
            #expect(result.stdout.contains(sandbox.home), "the unit does not carry PROCD_HOME:\n\(result.stdout)")
        }
    }

    @Test(.enabled(if: Scenario.hasSystemdAnalyze, "systemd-analyze is not installed"))
    func startupUnitPassesSystemdAnalyzeVerify() throws {
        try withSandbox { sandbox in
            let unit = sandbox.procctl("startup", "--print")
            #expect(unit.status == 0, "\(unit)")
            let path = try sandbox.write("procd.service", unit.stdout)
            let analyzer = try #require(Scenario.which("systemd-analyze"))
            let verify = sandbox.run(analyzer, ["verify", path], timeout: .seconds(20))
            #expect(verify.status == 0, "\(verify)\nunit:\n\(unit.stdout)")
            #expect(!verify.stderr.contains("procd.service:"), "\(verify)")
        }
    }

    @Test func startupUserWritesTheUnitAndUnstartupRemovesIt() throws {
        try withSandbox { sandbox in
            let home = sandbox.work + "/home"
            try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
            let unit = home + "/.config/systemd/user/procd.service"
            let written = sandbox.run("/usr/bin/env", ["HOME=\(home)", Binaries.procctl, "startup", "--user"])
            #expect(written.status == 0, "\(written)")
            let text = sandbox.read(unit)
            #expect(text.contains("ExecStart="), "no unit at \(unit):\n\(text)\n\(written)")
            #expect(text.contains("--foreground"))
            #expect(written.stdout.contains(unit), "startup does not say where it wrote:\n\(written)")

            let removed = sandbox.run("/usr/bin/env", ["HOME=\(home)", Binaries.procctl, "unstartup", "--user"])
            #expect(removed.status == 0, "\(removed)")
            #expect(!FileManager.default.fileExists(atPath: unit), "unstartup left \(unit)")
            sandbox.noteDaemon()
        }
    }

    /// Runs a procctl command that prints "…, pid N" and SIGKILLs the daemon the moment
    /// procctl has exited (from a shell: polling from here would be too slow to land in the
    /// window); returns N, tracked so that cleanup ends it if nothing else does.
    private func crashRightAfter(_ sandbox: Sandbox, _ arguments: [String]) throws -> Int32 {
        #expect(sandbox.procctl("ping").status == 0)
        let daemon = try #require(sandbox.daemonPid)
        let script = "\"$0\" \"$@\"; status=$?; kill -9 \(daemon); exit $status"
        let result = sandbox.run("/bin/sh", ["-c", script, Binaries.procctl] + arguments)
        #expect(result.status == 0, "\(arguments): \(result)")
        let pid = try #require(result.stdout.components(separatedBy: "pid ").last.flatMap { Int32($0.prefix { $0.isNumber }) },
                               "no pid in \(result)")
        sandbox.track(pid)
        #expect(sandbox.waitUntil { !ProcessProbe.isAlive(daemon) })
        return pid
    }

    private func realPath(_ path: String) -> String {
        guard let resolved = realpath(path, nil) else { return path }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// Where a sequence that should be 1, 2, 3… first goes wrong.
    private func gapSummary(_ numbers: [Int]) -> String {
        for (index, value) in numbers.enumerated() where value != index + 1 {
            return "at line \(index + 1): \(numbers[max(0, index - 2)..<min(numbers.count, index + 3)])"
        }
        return "\(numbers.count) lines"
    }
}
