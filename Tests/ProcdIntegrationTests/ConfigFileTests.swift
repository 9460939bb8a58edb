import Foundation
import Testing

/// Ecosystem files, Procfiles and env files written by the test: what starts, what is
/// selected, what environment each process gets, and how mistakes are reported.
@Suite("Configuration files", .serialized, .timeLimit(.minutes(1)))
struct ConfigFileTests {
    @Test func jsonEcosystemStartsBothAppsAndASecondStartLeavesThemRunning() throws {
        try withSandbox { sandbox in
            let file = try writeEcosystem(sandbox, "eco.json", [app("a"), app("b")])
            let first = sandbox.procctl("start", file)
            #expect(first.status == 0, "\(first)")
            let a = try #require(try sandbox.waitForStatus("a", "online").first?.pid)
            let b = try #require(try sandbox.waitForStatus("b", "online").first?.pid)

            let second = sandbox.procctl("start", file)
            #expect(second.status == 0 || second.status == 1, "\(second)")
            #expect((second.stdout + second.stderr).contains("already running"), "\(second)")
            #expect(try sandbox.processes(named: "a").map(\.pid) == [a])
            #expect(try sandbox.processes(named: "b").map(\.pid) == [b])
            #expect(try sandbox.list().count == 2)
            #expect(ProcessProbe.isAlive(a) && ProcessProbe.isAlive(b))
        }
    }

    @Test func onlyStartsTheNamedApps() throws {
        try withSandbox { sandbox in
            let file = try writeEcosystem(sandbox, "eco.json", [app("a"), app("b"), app("c")])
            let result = sandbox.procctl("start", file, "--only", "a")
            #expect(result.status == 0, "\(result)")
            try sandbox.waitForStatus("a", "online")
            #expect(try sandbox.list().map(\.name) == ["a"])

            #expect(sandbox.procctl("start", file, "--only", "b,c").status == 0)
            try sandbox.waitForStatus("b", "online")
            try sandbox.waitForStatus("c", "online")
            #expect(try sandbox.list().count == 3)
        }
    }

    @Test func envNameAppliesItsBlockOnTopOfEnv() throws {
        try withSandbox { sandbox in
            let file = try writeEcosystem(sandbox, "eco.json", [
                app("a", ["env": ["COLOR": "red", "BASE": "1"], "env_production": ["COLOR": "blue"]]),
            ])
            let result = sandbox.procctl("start", file, "--env", "production")
            #expect(result.status == 0, "\(result)")
            let process = try #require(try sandbox.waitForStatus("a", "online").first)
            let env = try Scenario.environment(sandbox, id: process.id)
            #expect(env["COLOR"] == "blue", "COLOR=\(env["COLOR"] ?? "unset")")
            #expect(env["BASE"] == "1", "BASE=\(env["BASE"] ?? "unset")")
            let live = ProcessProbe.environment(try #require(process.pid)) ?? [:]
            #expect(live["COLOR"] == "blue" && live["BASE"] == "1", "the process itself has COLOR=\(live["COLOR"] ?? "unset")")
        }
    }

    @Test func restartWithUpdateEnvAppliesTheEditedFile() throws {
        try withSandbox { sandbox in
            let file = try writeEcosystem(sandbox, "eco.json", [app("a", ["env": ["STAGE": "one"]])])
            #expect(sandbox.procctl("start", file).status == 0)
            let before = try #require(try sandbox.waitForStatus("a", "online").first)
            #expect(try Scenario.environment(sandbox, id: before.id)["STAGE"] == "one")

            try writeEcosystem(sandbox, "eco.json", [app("a", ["env": ["STAGE": "two"]])])
            let result = sandbox.procctl("restart", file, "--update-env")
            #expect(result.status == 0, "\(result)")
            var after: ListedProcess?
            let replaced = try sandbox.waitUntil {
                after = try sandbox.processes(named: "a").first
                return after?.status == "online" && after?.pid != nil && after?.pid != before.pid
            }
            #expect(replaced, "restart did not replace pid \(before.pid ?? 0)")
            #expect(after?.id == before.id)
            #expect(try Scenario.environment(sandbox, id: before.id)["STAGE"] == "two")
            if let pid = after?.pid { #expect(ProcessProbe.environment(pid)?["STAGE"] == "two") }
        }
    }

    @Test func stopAndDeleteOfAFileActOnExactlyItsApps() throws {
        try withSandbox { sandbox in
            let file = try writeEcosystem(sandbox, "eco.json", [app("a"), app("b")])
            #expect(sandbox.procctl("start", file).status == 0)
            #expect(sandbox.startFixture("outsider", []).status == 0)
            let pids = [try sandbox.waitForStatus("a", "online"), try sandbox.waitForStatus("b", "online")].flatMap { $0 }.compactMap(\.pid)
            let outsider = try #require(try sandbox.waitForStatus("outsider", "online").first?.pid)

            let stopped = sandbox.procctl("stop", file)
            #expect(stopped.status == 0, "\(stopped)")
            try sandbox.waitForStatus("a", "stopped")
            try sandbox.waitForStatus("b", "stopped")
            for pid in pids { #expect(sandbox.waitUntil(timeout: .seconds(3)) { !ProcessProbe.isAlive(pid) }) }
            #expect(try sandbox.processes(named: "outsider").first?.status == "online")

            let deleted = sandbox.procctl("delete", file)
            #expect(deleted.status == 0, "\(deleted)")
            let left = try sandbox.list()
            #expect(left.map(\.name) == ["outsider"])
            #expect(left.first?.pid == outsider)
            #expect(ProcessProbe.isAlive(outsider))
        }
    }

    @Test(.enabled(if: Scenario.hasNode, "node is not installed"))
    func javascriptConfigsAreEvaluatedWithNode() throws {
        try withSandbox { sandbox in
            let fixture = Scenario.quoted(Binaries.fixture)
            let common = "script: \(fixture), args: ['--print-env']"
            try sandbox.write("ecosystem.config.js",
                              "module.exports = { apps: [{ name: 'cjsapp', \(common), env: { FROM_CONFIG: 'js-' + (6 * 7) } }] };\n")
            try sandbox.write("ecosystem.config.mjs",
                              "export default { apps: [{ name: 'esmapp', \(common), env: { FROM_CONFIG: 'mjs-' + (6 * 7) } }] };\n")
            for name in ["ecosystem.config.js", "ecosystem.config.mjs"] {
                let result = sandbox.procctl(["start", sandbox.work + "/" + name])
                #expect(result.status == 0, "\(name): \(result)")
            }
            try sandbox.waitForStatus("cjsapp", "online")
            try sandbox.waitForStatus("esmapp", "online")
            try sandbox.waitForOutput("cjsapp", containing: "FROM_CONFIG=js-42\n")
            try sandbox.waitForOutput("esmapp", containing: "FROM_CONFIG=mjs-42\n")
            #expect(try sandbox.list().count == 2)
        }
    }

    @Test func procfileStartsEachEntryWithItsCommand() throws {
        try withSandbox { sandbox in
            let procfile = try sandbox.write("Procfile", """
                # two process types
                web: \(Binaries.fixture) --print-env
                worker: \(Binaries.fixture) --lines 3

                """)
            let result = sandbox.procctl("start", procfile)
            #expect(result.status == 0, "\(result)")
            try sandbox.waitForStatus("web", "online")
            let worker = try #require(try sandbox.waitForStatus("worker", "online").first)
            #expect(worker.command.joined(separator: " ").contains("--lines 3"), "\(worker.command)")
            try sandbox.waitForOutput("web", containing: "PROCD_APP_NAME=web\n")
            let lines = try sandbox.waitForOutput("worker", containing: "line 3\n")
            #expect(!lines.contains("PROCD_APP_NAME="), "worker ran web's command")
            #expect(!sandbox.outLog("web").contains("line 1"), "web ran worker's command")
            #expect(try sandbox.list().count == 2)
        }
    }

    @Test(arguments: ValidationCase.all)
    func invalidEcosystemIsRefusedAndStartsNothing(_ invalid: ValidationCase) throws {
        try withSandbox { sandbox in
            let file = "\(invalid.label).json"
            let path = try sandbox.write(file, invalid.contents.replacingOccurrences(of: "FIXTURE", with: Binaries.fixture))
            let result = sandbox.procctl("start", path)
            #expect(result.status != 0, "\(result)")
            #expect(result.stderr.contains("procctl: error:"), "\(result)")
            #expect(result.stderr.contains(file), "the message does not name the file: \(result)")
            for word in invalid.mentions {
                #expect(result.stderr.contains(word), "the message does not mention '\(word)': \(result)")
            }
            if FileManager.default.fileExists(atPath: sandbox.home + "/procd.pid") {
                #expect(try sandbox.list().isEmpty, "an app of a refused file was started")
            }
        }
    }

    @Test func unknownAttributeIsAWarningAndTheAppStarts() throws {
        try withSandbox { sandbox in
            let file = try writeEcosystem(sandbox, "eco.json", [app("odd", ["frobnicate_level": 11])])
            let result = sandbox.procctl("start", file)
            #expect(result.status == 0, "\(result)")
            let warning = Scenario.lines(result.stderr).first { $0.hasPrefix("procctl: warning:") }
            #expect(warning?.contains("frobnicate_level") == true, "no warning naming the attribute: \(result)")
            try sandbox.waitForStatus("odd", "online")
        }
    }

    @Test func envFileWithCommentsAndQuotesSetsVariables() throws {
        try withSandbox { sandbox in
            let envFile = try sandbox.write("vars.env", """
                # a comment line
                PLAIN=hello
                DOUBLE="with spaces # kept"
                SINGLE='no $EXPANSION here'
                export EXPORTED=yes
                TRAILING=value # a trailing comment

                EMPTY=

                """)
            #expect(sandbox.startFixture("envf", [], options: ["--env-file", envFile]).status == 0)
            let process = try #require(try sandbox.waitForStatus("envf", "online").first)
            let env = try Scenario.environment(sandbox, id: process.id)
            #expect(env["PLAIN"] == "hello")
            #expect(env["DOUBLE"] == "with spaces # kept", "DOUBLE=\(env["DOUBLE"] ?? "unset")")
            #expect(env["SINGLE"] == "no $EXPANSION here", "SINGLE=\(env["SINGLE"] ?? "unset")")
            #expect(env["EXPORTED"] == "yes", "EXPORTED=\(env["EXPORTED"] ?? "unset")")
            #expect(env["TRAILING"] == "value", "TRAILING=\(env["TRAILING"] ?? "unset")")
            #expect(env["EMPTY"] == "")
            #expect(!env.keys.contains { $0.contains("#") || $0.hasPrefix("export") }, "\(env.keys.sorted())")
            let live = ProcessProbe.environment(try #require(process.pid)) ?? [:]
            #expect(live["DOUBLE"] == "with spaces # kept" && live["PLAIN"] == "hello")
        }
    }

    /// One app of the fixture, named `name`, with extra attributes.
    private func app(_ name: String, _ extra: [String: Any] = [:]) -> [String: Any] {
        ["name": name, "script": Binaries.fixture].merging(extra) { _, new in new }
    }

    /// Writes `{"apps": [...]}` under the sandbox's work folder; returns its path.
    @discardableResult
    private func writeEcosystem(_ sandbox: Sandbox, _ name: String, _ apps: [[String: Any]]) throws -> String {
        let data = try JSONSerialization.data(withJSONObject: ["apps": apps], options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
        return try sandbox.write(name, String(decoding: data, as: UTF8.self))
    }
}

/// A JSON ecosystem that must be refused, and the words its message must contain.
struct ValidationCase: CustomStringConvertible, Sendable {
    var label: String
    var contents: String
    var mentions: [String]
    var description: String { label }

    static let all: [ValidationCase] = [
        // The second comma of line 2 is its 45th character.
        ValidationCase(label: "malformed", contents: """
            {"apps": [
              {"name": "broken", "script": "/bin/sleep",, "instances": 1}
            ]}

            """, mentions: ["line 2", "column 45"]),
        ValidationCase(label: "wrong-type", contents: """
            {"apps": [{"name": "fine", "script": "FIXTURE"}, {"name": "typed", "script": "FIXTURE", "instances": "abc"}]}
            """, mentions: ["typed", "instances"]),
        ValidationCase(label: "negative", contents: """
            {"apps": [{"name": "fine", "script": "FIXTURE"}, {"name": "minus", "script": "FIXTURE", "instances": -3}]}
            """, mentions: ["minus", "instances"]),
        ValidationCase(label: "bad-signal", contents: """
            {"apps": [{"name": "fine", "script": "FIXTURE"}, {"name": "signalled", "script": "FIXTURE", "kill_signal": "SIGNOPE"}]}
            """, mentions: ["signalled", "kill_signal"]),
    ]
}
