import Foundation
import Testing

/// Programs that fork into the background (nginx without `daemon off`), and descendants
/// that leave the process group (setsid): procd notices them, stops them, shows them.
@Suite("Descendants", .serialized, .timeLimit(.minutes(1)))
struct DescendantsTests {
    /// An nginx configuration serving "ok" on 127.0.0.1:PORT, everything in `dir`.
    private func nginxConfig(_ sandbox: Sandbox, port: Int) throws -> String {
        let dir = sandbox.work + "/nginx"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let temps = ["client_body", "proxy", "fastcgi", "uwsgi", "scgi"].map { "\($0)_temp_path \(dir)/\($0);" }.joined(separator: " ")
        return try sandbox.write("nginx/nginx.conf", """
            worker_processes 1;
            pid \(dir)/nginx.pid;
            error_log \(dir)/error.log;
            events { worker_connections 64; }
            http {
              access_log off; \(temps)
              server { listen 127.0.0.1:\(port); location / { return 200 "ok\\n"; } }
            }
            """)
    }

    @Test(.enabled(if: Scenario.which("nginx") != nil || FileManager.default.isExecutableFile(atPath: "/usr/sbin/nginx")))
    func nginxThatDaemonizesEndsErroredWithTheReasonAndIsStopped() throws {
        try withSandbox { sandbox in
            let port = Network.freePort()
            let config = try nginxConfig(sandbox, port: port)
            let nginx = Scenario.which("nginx") ?? "/usr/sbin/nginx"
            let start = sandbox.procctl("start", nginx, "--name", "web", "--", "-c", config, "-e", sandbox.work + "/nginx/error.log")
            #expect(start.status == 1, "\(start)")
            #expect(start.stderr.contains("daemon off;"), "\(start)")
            let errored = try sandbox.waitForStatus("web", "errored")
            let reason = errored.first?.reason ?? ""
            #expect(reason.contains("forked into the background"), "\(reason)")
            #expect(reason.contains("daemon off;"), "\(reason)")
            #expect(errored.first?.restarts == 0, "it was restarted in a loop")
            let master = Int32(sandbox.read(sandbox.work + "/nginx/nginx.pid").trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
            if master > 0 { sandbox.track(master) }
            #expect(sandbox.waitUntil(timeout: .seconds(5)) { Network.httpGet(port: port) == nil }, "the detached nginx still serves")
        }
    }

    @Test(.enabled(if: Scenario.which("nginx") != nil || FileManager.default.isExecutableFile(atPath: "/usr/sbin/nginx")))
    func nginxInTheForegroundServesAndStops() throws {
        try withSandbox { sandbox in
            let port = Network.freePort()
            let config = try nginxConfig(sandbox, port: port)
            let nginx = Scenario.which("nginx") ?? "/usr/sbin/nginx"
            #expect(sandbox.procctl("start", nginx, "--name", "web", "--", "-c", config, "-e", sandbox.work + "/nginx/error.log",
                                    "-g", "daemon off;").status == 0)
            try sandbox.waitForStatus("web", "online")
            #expect(sandbox.waitUntil(timeout: .seconds(5)) { Network.httpGet(port: port)?.contains("ok") == true })
            #expect(sandbox.procctl("stop", "web").status == 0)
            #expect(sandbox.waitUntil(timeout: .seconds(5)) { Network.httpGet(port: port) == nil }, "nginx serves after stop")
            #expect(try sandbox.processes(named: "web").first?.restarts == 0)
        }
    }

    @Test(arguments: ["stop", "delete", "kill"])
    func aSetsidGrandchildIsStoppedWithItsApp(_ verb: String) throws {
        try withSandbox { sandbox in
            let script = try sandbox.write("tree.sh", "#!/bin/sh\nsetsid sleep 1001 &\necho child $!\nexec sleep 1002\n", executable: true)
            #expect(sandbox.procctl("start", script, "--name", "tree").status == 0)
            let log = try sandbox.waitForOutput("tree", containing: "child ")
            let child = try #require(log.split(separator: "\n").first { $0.hasPrefix("child ") }.flatMap { Int32($0.dropFirst(6)) })
            sandbox.track(child)
            #expect(sandbox.waitUntil { ProcessProbe.isAlive(child) })
            let described = try Scenario.describe(sandbox, "tree")
            let outside = (described["outside_group"] as? [[String: Any]] ?? []).compactMap { $0["pid"] as? Int }
            #expect(outside.contains(Int(child)), "describe does not show the setsid child: \(described["outside_group"] ?? "none")")
            #expect(sandbox.procctl([verb] + (verb == "kill" ? [] : ["tree"])).status == 0)
            #expect(sandbox.waitUntil(timeout: .seconds(5)) { !ProcessProbe.isAlive(child) }, "the setsid child outlived '\(verb)'")
        }
    }

    @Test(.enabled(if: Scenario.which("redis-server") != nil))
    func redisThatDaemonizesFailsItsStartWithTheReason() throws {
        try withSandbox { sandbox in
            let port = Network.freePort()
            let dir = sandbox.work
            let config = try sandbox.write("redis.conf", """
                daemonize yes
                port \(port)
                bind 127.0.0.1
                dir \(dir)
                pidfile \(dir)/redis.pid
                logfile \(dir)/redis.log
                save ""
                """)
            let redis = try #require(Scenario.which("redis-server"))
            let start = sandbox.procctl("start", redis, "--name", "cache", "--", config)
            #expect(start.status == 1, "\(start)")
            #expect(start.stderr.contains("forked into the background") && start.stderr.contains("--daemonize no"), "\(start)")
            // "(pid N ran on)": the daemonized server procd found and stopped.
            let server = start.stderr.components(separatedBy: "(pid ").dropFirst().first.flatMap { Int32($0.prefix { $0.isNumber }) } ?? 0
            if server > 0 { sandbox.track(server) }
            #expect(try sandbox.processes(named: "cache").first?.restarts == 0)
            #expect(sandbox.waitUntil(timeout: .seconds(5)) { server > 0 && !ProcessProbe.isAlive(server) }, "the detached redis-server runs on")
        }
    }

    /// Issue "Limits and faults": `sleep 305 & exit 0` was restarted 17 times and ended
    /// "crashed (exit code 0)"; a `setsid` child was seen only after 1 to 16 restarts.
    /// Every way of leaving something behind, at once or a while later, a dozen times each.
    @Test(arguments: [
        ("plain", "sleep 1305 &\necho left $!\nexit 0\n"),
        ("setsid", "setsid sleep 1306 </dev/null >/dev/null 2>&1 &\necho left $!\nexit 0\n"),
        ("doublefork", "(setsid sleep 1307 </dev/null >/dev/null 2>&1 & echo left $!)\nexit 0\n"),
        ("later", "sleep 1308 &\necho left $!\nsleep 0.3\nexit 0\n"),
    ])
    func everyWayOfForkingIntoTheBackgroundFailsTheStart(_ name: String, _ script: String) throws {
        try withSandbox { sandbox in
            let path = try sandbox.write("\(name).sh", "#!/bin/sh\n" + script, executable: true)
            for round in 1...12 {
                let start = sandbox.procctl("start", path, "--name", name)
                #expect(start.status == 1, "round \(round): \(start)")
                #expect(start.stderr.contains("forked into the background"), "round \(round): \(start)")
                let listed = try sandbox.processes(named: name)
                #expect(listed.first?.status == "errored" && listed.first?.restarts == 0, "round \(round): \(listed.map(\.status))")
                let left = sandbox.outLog(name).split(separator: "\n").compactMap { $0.hasPrefix("left ") ? Int32($0.dropFirst(5)) : nil }
                for pid in left { sandbox.track(pid) }
                #expect(!left.isEmpty)
                #expect(sandbox.waitUntil(timeout: .seconds(5)) { left.allSatisfy { !ProcessProbe.isAlive($0) } },
                        "round \(round): what the script left runs on")
                #expect(sandbox.procctl("delete", name).status == 0)
            }
            #expect(!sandbox.daemonLog.contains("crashed (exit code 0)"), "\(sandbox.diagnostics)")
        }
    }

    @Test func aScriptThatExitsZeroWithNothingLeftIsExitedNotCrashed() throws {
        try withSandbox { sandbox in
            let path = try sandbox.write("once.sh", "#!/bin/sh\nexit 0\n", executable: true)
            #expect(sandbox.procctl("start", path, "--name", "once", "--max-restarts", "1").status != 0)
            let errored = try sandbox.waitForStatus("once", "errored")
            let reason = errored.first?.reason ?? ""
            #expect(reason.hasPrefix("exited (exit code 0) 2 times in a row"), "\(reason)")
            #expect(sandbox.daemonLog.contains("exited (exit code 0); restarting"), "\(sandbox.diagnostics)")
            #expect(!sandbox.daemonLog.contains("crashed"), "\(sandbox.diagnostics)")
        }
    }
}
