import Foundation
import ProcdCore
import Testing

/// pm2 ecosystem files written in YAML, through the real binaries: every command that
/// takes a config file, the messages for a broken file, and `export ecosystem` read back
/// by `start`.
@Suite("Configuration files: YAML", .serialized, .timeLimit(.minutes(1)))
struct YAMLConfigTests {
    /// Two apps of the fixture sharing their environment through an anchor and a merge key.
    private func ecosystem(_ sandbox: Sandbox, _ name: String = "eco.yaml") throws -> String {
        try sandbox.write(name, """
            # procd reads pm2's YAML ecosystem files
            x-common: &common
              script: \(Binaries.fixture)
              args: [--sleep]
              env:
                COLOR: red
                BASE: "1"
              env_production:
                COLOR: blue
            apps:
              - <<: *common
                name: a
              - <<: *common
                name: b
                autorestart: no
            """)
    }

    @Test func startWithOnlyAndEnvAppliesTheFile() throws {
        try withSandbox { sandbox in
            let file = try ecosystem(sandbox)
            let result = sandbox.procctl("start", file, "--only", "a", "--env", "production")
            #expect(result.status == 0, "\(result)")
            #expect(!result.stderr.contains("x-common"), "an extension key was warned about: \(result)")
            let a = try #require(try sandbox.waitForStatus("a", "online").first)
            #expect(try sandbox.list().map(\.name) == ["a"])
            let env = try Scenario.environment(sandbox, id: a.id)
            #expect(env["COLOR"] == "blue" && env["BASE"] == "1", "\(env)")

            let second = sandbox.procctl("start", file)
            #expect(second.status == 0, "\(second)")
            #expect(second.stderr.contains("'autorestart': no is a string in YAML 1.2, read as false"), "\(second)")
            try sandbox.waitForStatus("b", "online")
            #expect(try sandbox.list().count == 2)
        }
    }

    @Test func restartReloadStopAndDeleteActOnTheFilesApps() throws {
        try withSandbox { sandbox in
            let file = try ecosystem(sandbox, "eco.yml")
            #expect(sandbox.startFixture("outsider", []).status == 0)
            #expect(sandbox.procctl("start", file).status == 0)
            let before = try #require(try sandbox.waitForStatus("a", "online").first?.pid)
            try sandbox.waitForStatus("b", "online")
            for verb in ["restart", "reload"] {
                let result = sandbox.procctl(verb, file)
                #expect(result.status == 0, "\(verb): \(result)")
            }
            #expect(try sandbox.waitUntil { try sandbox.processes(named: "a").first.map { $0.status == "online" && $0.pid != before } ?? false })
            #expect(sandbox.procctl("stop", file).status == 0)
            try sandbox.waitForStatus("a", "stopped")
            try sandbox.waitForStatus("b", "stopped")
            #expect(try sandbox.processes(named: "outsider").first?.status == "online")
            #expect(sandbox.procctl("delete", file).status == 0)
            #expect(try sandbox.list().map(\.name) == ["outsider"])
        }
    }

    @Test func startOrRestartAndStartOrReloadTakeYAML() throws {
        try withSandbox { sandbox in
            let file = try ecosystem(sandbox)
            #expect(sandbox.procctl("start", file, "--only", "a").status == 0)
            let a = try #require(try sandbox.waitForStatus("a", "online").first?.pid)
            let both = sandbox.procctl("startOrRestart", file)
            #expect(both.status == 0, "\(both)")
            try sandbox.waitForStatus("b", "online")
            #expect(try sandbox.waitUntil { try sandbox.processes(named: "a").first.map { $0.status == "online" && $0.pid != a } ?? false })
            let reload = sandbox.procctl("startOrReload", file)
            #expect(reload.status == 0, "\(reload)")
            #expect(try sandbox.list().count == 2)
        }
    }

    @Test func procdRunTakesASingleAppAtTheTop() throws {
        try withSandbox { sandbox in
            let file = try sandbox.write("job.yaml", """
                name: job
                script: /bin/sh
                args:
                  - -c
                  - |
                    echo "first line"
                    echo 'second line'
                autorestart: false
                """)
            let result = sandbox.run(Binaries.procd, ["run", file], timeout: .seconds(20))
            #expect(result.status == 0, "\(result)")
            #expect(result.stdout.contains("job| first line\n") && result.stdout.contains("job| second line\n"), "\(result)")
        }
    }

    @Test func aBrokenFileNamesTheSpotAndStartsNothing() throws {
        try withSandbox { sandbox in
            let file = try sandbox.write("broken.yaml", "apps:\n  - name: a\n\t  script: /bin/true\n")
            for arguments in [["start", file], ["start", file, "--dry-run"], ["startOrReload", file], ["restart", file]] {
                let result = sandbox.procctl(arguments)
                #expect(result.status == 1, "\(arguments): \(result)")
                #expect(result.stderr.contains("procctl: error: \(file):3:1: tab characters cannot indent YAML; use spaces\n"), "\(result)")
                #expect(result.stderr.contains("\n  \t  script: /bin/true\n  ^\n"), "no caret under the spot: \(result)")
            }
            let twice = try sandbox.write("twice.yaml", "name: a\nscript: /bin/true\nname: b\n")
            let duplicate = sandbox.procctl("start", twice)
            #expect(duplicate.status == 1 && duplicate.stderr.contains("twice.yaml:3:1: the key 'name' appears twice"), "\(duplicate)")
            #expect(!FileManager.default.fileExists(atPath: sandbox.home + "/procd.pid"), "a daemon was started")
        }
    }

    @Test(arguments: ["yaml", "json", "js"])
    func exportedEcosystemStartsTheSameApps(format: String) throws {
        if format == "js" && !Scenario.hasNode { return }
        try withSandbox { sandbox in
            #expect(sandbox.procctl("start", try ecosystem(sandbox)).status == 0)
            #expect(sandbox.startFixture("cmd", ["--sleep"], options: ["--env", "NOTE=a: b # c", "-i", "2"]).status == 0)
            let before = try sandbox.waitForStatus("cmd", "online", count: 2) + sandbox.waitForStatus("a", "online") + sandbox.waitForStatus("b", "online")
            let out = sandbox.work + (format == "js" ? "/exported.config.js" : "/exported.\(format)")
            let result = sandbox.procctl("export", "ecosystem", "--format", format, "-o", out)
            #expect(result.status == 0, "\(result)")
            let text = sandbox.read(out)
            #expect(!text.contains("PATH") && !text.contains("HOME"), "the shell's environment was exported:\n\(text)")

            #expect(sandbox.procctl("delete", "all").status == 0)
            let again = sandbox.procctl("start", out)
            #expect(again.status == 0, "\(again)")
            #expect(!again.stderr.contains("warning"), "the exported file is not read back cleanly: \(again)")
            let after = try sandbox.waitForStatus("cmd", "online", count: 2) + sandbox.waitForStatus("a", "online") + sandbox.waitForStatus("b", "online")
            let shape = { (list: [ListedProcess]) in list.map { "\($0.name)#\($0.instance) \($0.command) \($0.cwd)" }.sorted() }
            #expect(shape(after) == shape(before))
            let cmd = try #require(after.first { $0.name == "cmd" })
            #expect(try Scenario.environment(sandbox, id: cmd.id)["NOTE"] == "a: b # c")
            let b = try #require(after.first { $0.name == "b" })
            #expect(try Scenario.environment(sandbox, id: b.id)["COLOR"] == "red")
        }
    }

    @Test func exportTakesAYAMLFileAsItsSource() throws {
        try withSandbox { sandbox in
            let file = try ecosystem(sandbox)
            let json = sandbox.procctl("export", "ecosystem", file, "--env", "production")
            #expect(json.status == 0, "\(json)")
            let document = try JSONParser.parse(json.stdout)
            #expect(document["apps"]?.arrayValue?.compactMap { $0["name"]?.stringValue } == ["a", "b"])
            #expect(document["apps"]?.arrayValue?.first?["env"]?["COLOR"] == .string("blue"))
            let units = sandbox.procctl("export", "systemd", file)
            #expect(units.status == 0 && units.stdout.contains("a.service") && units.stdout.contains("Environment=COLOR=red"), "\(units)")
            let misused = sandbox.procctl("export", "systemd", file, "--format", "yaml")
            #expect(misused.status == 2, "\(misused)")
            #expect(!FileManager.default.fileExists(atPath: sandbox.home + "/procd.pid"), "a daemon was started")
        }
    }
}
