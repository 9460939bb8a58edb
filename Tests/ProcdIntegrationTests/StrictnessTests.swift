import Foundation
import Testing

/// Misspelt attributes, app names and exported environments: what a config file or a
/// command line says is checked, and only what it says is exported.
@Suite("Strictness", .serialized, .timeLimit(.minutes(1)))
struct StrictnessTests {
    @Test func aMisspeltAttributeStopsTheFileUnlessLenient() throws {
        try withSandbox { sandbox in
            let file = try sandbox.write("eco.json", #"{"apps":[{"name":"typo","script":"/bin/sleep","args":"1000","instnaces":3}]}"#)
            let refused = sandbox.procctl("start", file)
            #expect(refused.status == 1, "\(refused)")
            #expect(refused.stderr.contains("procctl: error:") && refused.stderr.contains("'instnaces'"), "\(refused)")
            #expect(refused.stderr.contains("did you mean 'instances'?"), "\(refused)")
            #expect(!FileManager.default.fileExists(atPath: sandbox.home + "/procd.pid"), "a daemon was started")

            let lenient = sandbox.procctl("start", file, "--lenient")
            #expect(lenient.status == 0, "\(lenient)")
            #expect(lenient.stderr.contains("procctl: warning:") && lenient.stderr.contains("did you mean 'instances'?"), "\(lenient)")
            #expect(try sandbox.processes(named: "typo").count == 1)
            #expect(sandbox.procctl("delete", file).status == 0)
        }
    }

    @Test func strictFalseAtTheTopOfTheFileKeepsTheWarning() throws {
        try withSandbox { sandbox in
            let file = try sandbox.write("eco.json", #"{"strict":false,"apps":[{"name":"a","script":"/bin/true","autorestrat":false}]}"#)
            let result = sandbox.procctl("start", file, "--dry-run")
            #expect(result.status == 0, "\(result)")
            #expect(result.stderr.contains("unknown attribute 'autorestrat' (did you mean 'autorestart'?); ignored"), "\(result)")
        }
    }

    @Test(arguments: ["my app", "web/1", "caf\u{e9}", "a;b"])
    func aNameOutsideTheAllowedCharactersIsRefused(name: String) throws {
        try withSandbox { sandbox in
            let cli = sandbox.procctl("start", "/bin/sleep", "--name", name, "--", "1000")
            #expect(cli.status == 2, "\(cli)")
            #expect(cli.stderr.contains("procctl: error:") && cli.stderr.contains("letters, digits"), "\(cli)")
            let escaped = name.replacingOccurrences(of: "\\", with: "\\\\")
            let file = try sandbox.write("eco.json", #"[{"name":"\#(escaped)","script":"/bin/sleep","args":"1000"}]"#)
            let config = sandbox.procctl("start", file)
            #expect(config.status == 1, "\(config)")
            #expect(config.stderr.contains("letters, digits") && config.stderr.contains("'name'"), "\(config)")
            #expect(!FileManager.default.fileExists(atPath: sandbox.home + "/procd.pid"), "a daemon was started")
        }
    }

    @Test func exportsCarryTheAppsVariablesAndNeverTheShells() throws {
        try withSandbox { sandbox in
            _ = try sandbox.write("app.env", "FROM_FILE=1\n")
            let file = try sandbox.write("eco.json", """
                {"apps":[{"name":"api","script":"/bin/sleep","args":"1000","env_file":"app.env",
                          "env":{"OWN":"yes"},"env_production":{"STAGE":"prod"}}]}
                """)
            var shell = sandbox.environment
            shell["OLDPWD"] = "/where/the/shell/was"
            shell["SHELL_ONLY"] = "leak"
            let started = sandbox.run(Binaries.procctl, ["start", file, "--env", "production", "--env", "CLI=1"], environment: shell)
            #expect(started.status == 0, "\(started)")
            #expect(sandbox.procctl("ping").status == 0)
            #expect(try sandbox.processes(named: "api").count == 1)

            // Exported from the table by another shell, and straight from the file.
            shell["OLDPWD"] = "/somewhere/else"
            let out = sandbox.work + "/units"
            for source in [[], [file]] {
                let result = sandbox.run(Binaries.procctl, ["export", "systemd"] + source + ["--env", "production", "-o", out], environment: shell)
                #expect(result.status == 0, "\(result)")
                let unit = sandbox.read(out + "/api.service")
                for own in ["FROM_FILE=1", "OWN=yes", "STAGE=prod"] { #expect(unit.contains(own), "\(own) missing: \(unit)") }
                for leaked in ["OLDPWD", "SHELL_ONLY", "PATH=", "HOME="] { #expect(!unit.contains(leaked), "\(leaked) leaked: \(unit)") }
                if Scenario.hasSystemdAnalyze {
                    let verify = sandbox.run(Scenario.which("systemd-analyze") ?? "systemd-analyze", ["verify", out + "/api.service"])
                    #expect(verify.status == 0 && verify.stderr.isEmpty, "\(verify)")
                }
            }
            #expect(sandbox.procctl("delete", "api").status == 0)
        }
    }
}
