import Foundation
import Testing

/// What real programs and pm2 habits found on a first day: `update` on a quiet daemon,
/// `start NAME`, a never-ready app, usage errors before lookups, old logs after delete.
@Suite("First day", .serialized, .timeLimit(.minutes(1)))
struct FirstDayTests {
    @Test func updateOfAnIdleDaemonAnswersAtOnce() throws {
        try withSandbox { sandbox in
            #expect(sandbox.startFixture("quiet", []).status == 0)
            let before = try #require(try sandbox.waitForStatus("quiet", "online").first?.pid)
            // Nothing else wakes the daemon: the reply must not wait for a later event.
            let result = sandbox.run(Binaries.procctl, ["update"], timeout: .seconds(5))
            #expect(result.status == 0, "\(result)")
            #expect(result.stdout.contains("updated in place"), "\(result)")
            #expect(try sandbox.processes(named: "quiet").first?.pid == before)
        }
    }

    @Test func startOfANameInTheTableStartsThatApp() throws {
        try withSandbox { sandbox in
            #expect(sandbox.procctl("start", "/bin/sleep", "--name", "sleep", "--", "1000").status == 0)
            try sandbox.waitForStatus("sleep", "online")
            #expect(sandbox.procctl("stop", "sleep").status == 0)
            let started = sandbox.procctl("start", "sleep")
            #expect(started.status == 0, "\(started)")
            #expect(!started.stdout.contains("replaced"), "\(started)")
            let again = try sandbox.waitForStatus("sleep", "online")
            #expect(again.first?.command == ["/bin/sleep", "1000"], "start NAME redefined the app: \(again.first?.command ?? [])")
            // By id too, and a running app is reported, not restarted.
            let pid = again.first?.pid
            #expect(sandbox.procctl("start", "0").status == 0)
            #expect(try sandbox.processes(named: "sleep").first?.pid == pid)
            // A new command line redefines it, and says so.
            let redefined = sandbox.procctl("start", "-f", "sleep", "999")
            #expect(redefined.status == 0, "\(redefined)")
            #expect(redefined.stdout.contains("sleep: definition replaced"), "\(redefined)")
            #expect(try sandbox.processes(named: "sleep").first?.command.last == "999")
        }
    }

    @Test func aNeverReadyAppIsReportedAsSuchAndStartReturns() throws {
        try withSandbox { sandbox in
            let started = Date()
            let result = sandbox.startFixture("mute", [], options: ["--wait-ready", "--listen-timeout", "300", "--max-restarts", "2"])
            #expect(result.status == 1, "\(result)")
            #expect(Date().timeIntervalSince(started) < 5, "start blocked through the retries")
            #expect(result.stderr.contains("no readiness signal within 300 ms"), "\(result)")
            let errored = try sandbox.waitForStatus("mute", "errored")
            let reason = errored.first?.reason ?? ""
            #expect(reason.contains("no readiness signal within 300 ms (listen_timeout) 3 times in a row"), "\(reason)")
            #expect(!reason.contains("SIGTERM"), "\(reason)")
        }
    }

    @Test(arguments: [["scale", "nosuch", "abc"], ["scale", "nosuch", "+"], ["env"], ["signal", "SIGNOPE", "nosuch"]])
    func usageErrorsComeBeforeLookups(_ arguments: [String]) throws {
        try withSandbox { sandbox in
            let result = sandbox.procctl(arguments)
            #expect(result.status == 2, "\(arguments): \(result)")
            #expect(result.stderr.hasPrefix("procctl: error: "), "\(result)")
        }
    }

    @Test func aDeletedAppsLinesAreNotShownAsANewOnes() throws {
        try withSandbox { sandbox in
            #expect(sandbox.startFixture("echoer", ["--stderr", "old-line"]).status == 0)
            #expect(sandbox.waitUntil { sandbox.errLog("echoer").contains("old-line") })
            #expect(sandbox.procctl("delete", "echoer").status == 0)
            #expect(sandbox.startFixture("echoer", ["--stderr", "new-line"]).status == 0)
            _ = sandbox.waitUntil { sandbox.errLog("echoer").contains("new-line") }
            let shown = sandbox.procctl("logs", "echoer", "--lines", "50", "--raw")
            #expect(shown.stdout.contains("new-line"), "\(shown)")
            #expect(!shown.stdout.contains("old-line"), "the deleted app's lines are shown as the new one's: \(shown)")
            #expect(sandbox.read(sandbox.home + "/logs/echoer-err.log.1").contains("old-line"), "the old lines were not kept aside")
        }
    }

    @Test func pm2VerbsDoWhatPm2Does() throws {
        try withSandbox { sandbox in
            let app = { (name: String) in #"{"name":"\#(name)","script":"\#(Binaries.fixture)","args":["--sleep"]}"# }
            let file = try sandbox.write("ecosystem.json", #"{"apps":["# + app("a") + "," + app("b") + "]}")
            #expect(sandbox.procctl("start", file, "--only", "a").status == 0)
            let a = try #require(try sandbox.waitForStatus("a", "online").first?.pid)
            let both = sandbox.procctl("startOrRestart", file)
            #expect(both.status == 0, "\(both)")
            #expect(try sandbox.waitForStatus("b", "online").count == 1, "startOrRestart did not start b")
            let restarted = try sandbox.waitForStatus("a", "online")
            #expect(restarted.first?.pid != a && restarted.first?.restarts == 1, "startOrRestart did not restart a")
            #expect(sandbox.procctl("startOrGracefulReload", file).status == 0)

            let more = try sandbox.write("more.json", #"{"apps":["# + app("c") + "]}")
            let restart = sandbox.procctl("restart", more)
            #expect(restart.status == 0, "\(restart)")
            #expect(try sandbox.waitForStatus("c", "online").count == 1, "restart FILE did not start an app not in the table")

            let pretty = sandbox.procctl("prettylist")
            #expect(pretty.status == 0 && pretty.stdout.contains("\n  {\n"), "\(pretty)")
            let parsed = try JSONSerialization.jsonObject(with: Data(pretty.stdout.utf8)) as? [Any]
            #expect(parsed?.count == 3)
            #expect(sandbox.procctl("sendSignal", "SIGUSR1", "c").status == 0)
            let env = sandbox.procctl("env", "c")
            #expect(env.status == 0 && env.stdout.contains("PROCD_APP_NAME=c\n"), "\(env)")
            let tooMany = sandbox.procctl("start", Binaries.fixture, "--name", "many", "-i", "2", "--", "--sleep")
            #expect(tooMany.status == 0)
            let ambiguous = sandbox.procctl("env", "many")
            #expect(ambiguous.status == 2 && ambiguous.stderr.contains("give one id"), "\(ambiguous)")
        }
    }

    @Test func logsTimestampPrefixesFollowedLines() throws {
        try withSandbox { sandbox in
            let script = try sandbox.write("ticker.sh", "#!/bin/sh\nwhile :; do echo tick; sleep 0.1; done\n", executable: true)
            #expect(sandbox.procctl("start", script, "--name", "ticker").status == 0)
            try sandbox.waitForStatus("ticker", "online")
            let (follower, output, _) = try sandbox.launch(Binaries.procctl, ["logs", "ticker", "-f", "--raw", "--lines", "0", "--timestamp"])
            defer {
                kill(follower.processIdentifier, SIGKILL)
                follower.waitUntilExit()
            }
            #expect(sandbox.waitUntil { sandbox.read(output).split(separator: "\n").count >= 3 }, "no lines followed")
            let line = sandbox.read(output).split(separator: "\n").first.map(String.init) ?? ""
            #expect(line.hasPrefix("20") && line.dropFirst(4).hasPrefix("-") && line.contains("Z "), "\(line)")
        }
    }
}
