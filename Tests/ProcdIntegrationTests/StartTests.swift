import Foundation
import Testing

/// `procctl start` with real programs, and what `list` says about them.
@Suite("Starting apps", .serialized, .timeLimit(.minutes(1)))
struct StartTests {
    @Test func pythonHTTPServerAnswersOverTCP() throws {
        try withSandbox { sandbox in
            let port = Network.freePort()
            let result = sandbox.procctl("start", "python3 -m http.server \(port) --bind 127.0.0.1", "--name", "web")
            #expect(result.status == 0, "\(result)")
            let web = try sandbox.waitForStatus("web", "online")
            let pid = try #require(web.first?.pid)
            #expect(ProcessProbe.isAlive(pid))
            var reply: String?
            let answered = sandbox.waitUntil(timeout: .seconds(15)) {
                reply = Network.httpGet(port: port)
                return reply != nil
            }
            #expect(answered, "nothing answered on 127.0.0.1:\(port)\n\(sandbox.errLog("web"))")
            #expect(reply?.hasPrefix("HTTP/1.0 200") == true, "\(reply ?? "no reply")")
        }
    }

    @Test func shellLoopRunsAndLogs() throws {
        try withSandbox { sandbox in
            let script = try sandbox.write("loop.sh", "while true; do echo tick; sleep 0.2; done\n")
            let result = sandbox.procctl("start", script)
            #expect(result.status == 0, "\(result)")
            let loop = try sandbox.waitForStatus("loop", "online")
            #expect(loop.first?.command.first?.hasSuffix("bash") == true, "\(loop.first?.command ?? [])")
            try sandbox.waitForOutput("loop", containing: "tick\ntick\n")
        }
    }

    @Test func nodeScriptRunsAndLogs() throws {
        try withSandbox { sandbox in
            let script = try sandbox.write("app.js", "setInterval(() => console.log('node tick'), 100)\n")
            let result = sandbox.procctl("start", script)
            #expect(result.status == 0, "\(result)")
            let app = try sandbox.waitForStatus("app", "online")
            #expect(app.first?.command.first?.hasSuffix("node") == true, "\(app.first?.command ?? [])")
            try sandbox.waitForOutput("app", containing: "node tick")
        }
    }

    @Test func listShowsEveryAppOnlineWithItsPid() throws {
        try withSandbox { sandbox in
            let port = Network.freePort()
            let script = try sandbox.write("loop.sh", "while true; do sleep 0.2; done\n")
            let node = try sandbox.write("app.js", "setInterval(() => {}, 1000)\n")
            #expect(sandbox.procctl("start", "python3 -m http.server \(port) --bind 127.0.0.1", "--name", "web").status == 0)
            #expect(sandbox.procctl("start", script).status == 0)
            #expect(sandbox.procctl("start", node).status == 0)
            var processes: [ListedProcess] = []
            let allOnline = try sandbox.waitUntil {
                processes = try sandbox.list()
                return processes.count == 3 && processes.allSatisfy { $0.status == "online" && $0.pid != nil }
            }
            #expect(allOnline, "\(processes.map { "\($0.name) \($0.status)" })")
            #expect(Set(processes.map(\.name)) == ["web", "loop", "app"])
            #expect(Set(processes.map(\.id)).count == 3)
            let table = sandbox.procctl("list")
            #expect(table.status == 0)
            #expect(!table.stdout.contains("\u{1B}["), "colour despite NO_COLOR")
            for p in processes {
                let pid = try #require(p.pid)
                #expect(ProcessProbe.isAlive(pid))
                let row = table.stdout.split(separator: "\n").first { $0.contains(" \(p.name) ") }
                #expect(row?.contains(" \(pid) ") == true, "no row for \(p.name) with pid \(pid) in:\n\(table.stdout)")
                #expect(row?.contains("online") == true)
            }
            let alias = sandbox.procctl("ls")
            #expect(alias.status == 0 && ["web", "loop", "app"].allSatisfy { alias.stdout.contains($0) })
        }
    }

    @Test func listJSONHasTheSpecFieldsWithTheirTypes() throws {
        try withSandbox { sandbox in
            #expect(sandbox.startFixture("runner", []).status == 0)
            #expect(sandbox.startFixture("quitter", ["--exit", "0"], options: ["--no-autorestart"]).status == 0)
            try sandbox.waitForStatus("runner", "online")
            try sandbox.waitForStatus("quitter", "stopped")

            let result = sandbox.procctl("list", "--json")
            #expect(result.status == 0)
            #expect(sandbox.procctl("jlist").stdout.isEmpty == false)
            let raw = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]])
            #expect(raw.count == 2)
            let specFields: Set<String> = [
                "id", "name", "namespace", "instance", "pid", "status", "restarts", "unstable_restarts", "uptime_ms",
                "started_at", "cpu", "memory", "exit_code", "exit_signal", "command", "cwd", "out_log", "err_log", "ports",
            ]
            for object in raw {
                let missing = specFields.subtracting(object.keys)
                #expect(missing.isEmpty, "missing fields \(missing.sorted())")
            }
            // Decoding checks the types: Int fields refuse 1.5 and true, String? accepts null only.
            let processes = try JSONDecoder.snakeCase.decode([ListedProcess].self, from: Data(result.stdout.utf8))
            let statuses: Set<String> = ["launching", "online", "stopping", "stopped", "waiting", "errored"]
            for p in processes {
                #expect(statuses.contains(p.status))
                #expect(p.namespace == "default")
                #expect(p.instance == 0)
                #expect(p.command.first == Binaries.fixture)
                #expect(p.cwd == sandbox.work)
                #expect(p.outLog == "\(sandbox.home)/logs/\(p.name)-out.log")
                #expect(p.errLog == "\(sandbox.home)/logs/\(p.name)-err.log")
                #expect(p.ports.isEmpty)
                #expect(p.cpu >= 0 && p.memory >= 0)
            }
            let runner = try #require(processes.first { $0.name == "runner" })
            #expect(runner.pid != nil && runner.uptimeMs != nil && runner.exitCode == nil && runner.exitSignal == nil)
            #expect(runner.memory > 0)
            let started = try #require(runner.startedAt)
            #expect(parseISO8601(started) != nil, "started_at '\(started)' is not ISO-8601")
            let quitter = try #require(processes.first { $0.name == "quitter" })
            #expect(quitter.pid == nil && quitter.uptimeMs == nil)
            #expect(quitter.exitCode == 0)
            #expect(raw.first { $0["name"] as? String == "quitter" }?["pid"] is NSNull)
        }
    }

    @Test func missingScriptIsAnErrorAndAddsNothing() throws {
        try withSandbox { sandbox in
            let result = sandbox.procctl("start", "missing.py")
            #expect(result.status == 1, "\(result)")
            #expect(result.stderr.hasPrefix("procctl: error: "), "\(result)")
            #expect(result.stderr.contains("missing.py"))
            #expect(sandbox.procctl("ping").status == 0)
            let listed = try sandbox.list()
            #expect(listed.isEmpty, "\(listed.map(\.name))")
        }
    }

    @Test func unknownOptionIsAUsageError() throws {
        try withSandbox { sandbox in
            let result = sandbox.procctl("start", Binaries.fixture, "--no-such-option")
            #expect(result.status == 2, "\(result)")
            #expect(result.stderr.hasPrefix("procctl: error: "), "\(result)")
            #expect(result.stderr.contains("--no-such-option"))
            #expect(sandbox.procctl("list", "--bogus").status == 2)
            let command = sandbox.procctl("strat", "x")
            #expect(command.status == 2, "\(command)")
            #expect(command.stderr.contains("did you mean 'start'"), "\(command)")
        }
    }

    @Test func startingARunningNameAgainFailsUnlessForced() throws {
        try withSandbox { sandbox in
            #expect(sandbox.startFixture("twice", []).status == 0)
            let first = try #require(try sandbox.waitForStatus("twice", "online").first?.pid)
            let again = sandbox.startFixture("twice", [])
            #expect(again.status == 1, "\(again)")
            #expect(again.stderr.hasPrefix("procctl: error: "), "\(again)")
            #expect(try sandbox.processes(named: "twice").first?.pid == first)

            let forced = sandbox.startFixture("twice", [], options: ["-f"])
            #expect(forced.status == 0, "\(forced)")
            #expect(try sandbox.waitUntil {
                let p = try sandbox.processes(named: "twice")
                return p.count == 1 && p[0].status == "online" && p[0].pid != first
            })
            #expect(sandbox.waitUntil(timeout: .seconds(3)) { !ProcessProbe.isAlive(first) })
        }
    }

    @Test func unknownTargetFailsWithADidYouMean() throws {
        try withSandbox { sandbox in
            #expect(sandbox.startFixture("web", []).status == 0)
            try sandbox.waitForStatus("web", "online")
            for verb in ["stop", "restart", "describe"] {
                let result = sandbox.procctl(verb, "wbe")
                #expect(result.status == 1, "\(verb): \(result)")
                #expect(result.stderr.hasPrefix("procctl: error: "), "\(verb): \(result)")
                #expect(result.stderr.contains("did you mean 'web'"), "\(verb): \(result)")
            }
            try sandbox.waitForStatus("web", "online")
        }
    }
}

/// Parses the SPEC's ISO-8601 timestamps, with or without fractional seconds.
func parseISO8601(_ text: String) -> Date? {
    let formatter = ISO8601DateFormatter()
    formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
    if let date = formatter.date(from: text) { return date }
    formatter.formatOptions = [.withInternetDateTime]
    return formatter.date(from: text)
}
