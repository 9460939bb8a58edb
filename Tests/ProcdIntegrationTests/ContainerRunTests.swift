import Foundation
import Testing

/// `procd run`: the process manager in a container's foreground, as its PID 1.
@Suite("procd run", .serialized, .timeLimit(.minutes(1)))
struct ContainerRunTests {
    @Test func appsOutputIsPrefixedAndTheFirstFailureIsTheExitCode() throws {
        try withSandbox { sandbox in
            let procfile = try sandbox.write("Procfile", """
                web: sh -c 'echo hello from web; sleep 0.5; echo bye; exit 0'
                worker: sh -c 'echo working; echo oops >&2; exit 3'
                """)
            let result = sandbox.run(Binaries.procd, ["run", procfile, "--no-autorestart"], timeout: .seconds(20))
            #expect(result.status == 3, "\(result)")
            #expect(result.stdout.contains("web| hello from web\n") && result.stdout.contains("web| bye\n"), "\(result)")
            #expect(result.stdout.contains("worker| working\n"), "\(result)")
            #expect(result.stderr.contains("worker| oops\n"), "\(result)")
            // Log files are still written.
            #expect(sandbox.outLog("web").contains("hello from web"))
        }
    }

    @Test func cleanEndsExitZeroAndInstancesAreNumbered() throws {
        try withSandbox { sandbox in
            let result = sandbox.run(Binaries.procd, ["run", "sh -c 'echo line'", "--name", "job", "-i", "2", "--no-autorestart"],
                                     timeout: .seconds(20))
            #expect(result.status == 0, "\(result)")
            #expect(result.stdout.contains("job#0| line\n") && result.stdout.contains("job#1| line\n"), "\(result)")
        }
    }

    @Test func jsonAndRawFormats() throws {
        try withSandbox { sandbox in
            let json = sandbox.run(Binaries.procd, ["run", "sh -c 'echo {x}'", "--name", "j", "--no-autorestart", "--json", "--no-log-files"],
                                   timeout: .seconds(20))
            #expect(json.status == 0, "\(json)")
            let line = try #require(json.stdout.split(separator: "\n").first.map(String.init))
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            #expect(object["app"] as? String == "j" && object["line"] as? String == "{x}" && object["stream"] as? String == "out")
            #expect(object["id"] as? Int == 0 && (object["time"] as? String)?.hasSuffix("Z") == true)
            #expect(!FileManager.default.fileExists(atPath: sandbox.home + "/logs/j-out.log"), "--no-log-files wrote a log file")
            let raw = sandbox.run(Binaries.procd, ["run", "sh -c 'echo plain'", "--no-autorestart", "--raw"], timeout: .seconds(20))
            #expect(raw.status == 0 && raw.stdout == "plain\n", "\(raw)")
        }
    }

    @Test func aBadCommandLineIsAUsageError() throws {
        try withSandbox { sandbox in
            let missing = sandbox.run(Binaries.procd, ["run"])
            #expect(missing.status == 2 && missing.stderr.hasPrefix("procd: error: "), "\(missing)")
            let both = sandbox.run(Binaries.procd, ["run", "true", "--raw", "--json"])
            #expect(both.status == 2, "\(both)")
            let help = sandbox.run(Binaries.procd, ["run", "--help"])
            #expect(help.status == 0 && help.stdout.contains("--no-auto-exit"), "\(help)")
            let daemonHelp = sandbox.run(Binaries.procd, ["--help"])
            #expect(daemonHelp.stdout.contains("procd run"), "\(daemonHelp)")
            for line in (help.stdout + daemonHelp.stdout).split(separator: "\n") {
                #expect(line.count <= 80, "\(line.count) columns: \(line)")
            }
        }
    }

    @Test func procctlSeesTheAppsAndTheirEndStopsProcdUnlessToldNot() throws {
        try withSandbox { sandbox in
            let (run, out, _) = try sandbox.launch(Binaries.procd, ["run", Binaries.fixture, "--name", "svc", "--no-auto-exit", "--", "--sleep"])
            defer { stop(run, sandbox) }
            #expect(sandbox.waitUntil { FileManager.default.fileExists(atPath: sandbox.socketPath) }, "procd run made no socket")
            try sandbox.waitForStatus("svc", "online")
            #expect(sandbox.procctl("stop", "svc").status == 0)
            // Every app has ended, but --no-auto-exit keeps procd running.
            #expect(sandbox.procctl("list").stdout.contains("svc"))
            #expect(run.isRunning)
            kill(run.processIdentifier, SIGTERM)
            #expect(sandbox.waitUntil { !run.isRunning }, "procd run ignored SIGTERM")
            #expect(run.terminationStatus == 0)
            _ = out
        }
    }

    @Test(.enabled(if: getuid() == 0 && Scenario.which("unshare") != nil))
    func asPidOneItReapsOrphansAndStopsEverythingOnSIGTERM() throws {
        try withSandbox { sandbox in
            let script = try sandbox.write("orphans.sh", """
                #!/bin/sh
                ( sleep 0.2 & )
                ( sleep 1000 & )
                echo started
                exec sleep 1001
                """, executable: true)
            let unshare = Scenario.which("unshare") ?? "/usr/bin/unshare"
            let (run, out, _) = try sandbox.launch(unshare, ["--pid", "--fork", "--kill-child", "--mount-proc", Binaries.procd, "run", script])
            defer { stop(run, sandbox) }
            #expect(sandbox.waitUntil { sandbox.read(out).contains("orphans| started") }, "\(sandbox.read(out))")
            // procd is the child of unshare, and PID 1 of the new namespace.
            let procd = try #require(ProcessProbe.children(of: run.processIdentifier).first)
            #expect(sandbox.waitUntil(timeout: .seconds(5)) {
                let children = ProcessProbe.children(of: procd)
                return children.count == 2 && children.allSatisfy { ProcessProbe.state($0) != "Z" }
            }, "procd's children: \(ProcessProbe.children(of: procd).map { "\($0) \(ProcessProbe.state($0).map(String.init) ?? "?")" })")
            let children = ProcessProbe.children(of: procd)
            for pid in children { sandbox.track(pid) }
            kill(procd, SIGTERM)
            #expect(sandbox.waitUntil { !run.isRunning }, "procd run did not exit on SIGTERM")
            #expect(run.terminationStatus == 0)
            for pid in children { #expect(!ProcessProbe.isAlive(pid), "pid \(pid) outlived procd") }
        }
    }

    @Test func aHomeThatCannotHoldProcdFallsBackAndSaysWhere() throws {
        try withSandbox { sandbox in
            var env = sandbox.environment
            env["PROCD_HOME"] = nil
            env["HOME"] = "/dev/null"
            env["XDG_RUNTIME_DIR"] = sandbox.root + "/run"
            let result = sandbox.run(Binaries.procd, ["run", "sh -c 'echo ok'", "--no-autorestart"], environment: env, timeout: .seconds(20))
            #expect(result.status == 0, "\(result)")
            #expect(result.stderr.contains("/dev/null/.procd cannot be created") && result.stderr.contains(sandbox.root + "/run/procd"), "\(result)")
            #expect(result.stdout.contains("sh| ok"))
        }
    }

    /// Ends a `procd run` a test started: SIGTERM first, so that it stops its apps too.
    private func stop(_ run: Process, _ sandbox: Sandbox) {
        guard run.isRunning else { return }
        kill(run.processIdentifier, SIGTERM)
        if !sandbox.waitUntil(timeout: .seconds(5), { !run.isRunning }) { kill(run.processIdentifier, SIGKILL) }
        run.waitUntilExit()
    }
}
