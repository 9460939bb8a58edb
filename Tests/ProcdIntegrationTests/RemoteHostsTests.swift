import Foundation
import Testing

/// `procctl --host` against a real OpenSSH server on loopback: two "hosts" are two sshd
/// instances whose sessions get different PROCD_HOMEs (sshd's SetEnv).
@Suite("Remote hosts", .serialized, .timeLimit(.minutes(1)),
       .enabled(if: getuid() == 0 && FileManager.default.isExecutableFile(atPath: "/usr/sbin/sshd") && Scenario.which("ssh") != nil
                && Scenario.which("ssh-keygen") != nil))
struct RemoteHostsTests {
    /// Starts an sshd on a free loopback port whose sessions use `home`; its port.
    private func sshd(_ sandbox: Sandbox, _ name: String, home: String) throws -> Int {
        try sshdProcess(sandbox, name, home: home).port
    }

    /// Starts an sshd on a free loopback port whose sessions use `home`; its port and pid.
    private func sshdProcess(_ sandbox: Sandbox, _ name: String, home: String) throws -> (port: Int, pid: Int32) {
        let port = Network.freePort()
        let dir = sandbox.work + "/ssh"
        let config = try sandbox.write("ssh/\(name).conf", """
            Port \(port)
            ListenAddress 127.0.0.1
            HostKey \(dir)/hostkey
            PidFile \(dir)/\(name).pid
            AuthorizedKeysFile \(dir)/authorized_keys
            PermitRootLogin prohibit-password
            PasswordAuthentication no
            KbdInteractiveAuthentication no
            StrictModes no
            UsePAM no
            SetEnv PROCD_HOME=\(home)
            """)
        let (process, _, _) = try sandbox.launch("/usr/sbin/sshd", ["-D", "-e", "-f", config])
        #expect(sandbox.waitUntil { ProcessProbe.isAlive(process.processIdentifier) && Network.tcpRoundTrip(port: port, "") != nil },
                "sshd did not listen on \(port)")
        return (port, process.processIdentifier)
    }

    /// Keys, a client wrapper, and the environment that makes procctl use them.
    private func prepare(_ sandbox: Sandbox) throws -> [String: String] {
        let dir = sandbox.work + "/ssh"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: "/run/sshd", withIntermediateDirectories: true)
        for key in ["hostkey", "userkey"] {
            let made = sandbox.run(Scenario.which("ssh-keygen") ?? "/usr/bin/ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", "\(dir)/\(key)"])
            #expect(made.status == 0, "\(made)")
        }
        try FileManager.default.copyItem(atPath: "\(dir)/userkey.pub", toPath: "\(dir)/authorized_keys")
        let wrapper = try sandbox.write("ssh/client.sh", """
            #!/bin/sh
            exec ssh -i \(dir)/userkey -o UserKnownHostsFile=/dev/null -o StrictHostKeyChecking=no -o LogLevel=ERROR "$@"
            """, executable: true)
        var env = sandbox.environment
        env["PROCD_SSH"] = wrapper
        env["PROCD_REMOTE_PROCCTL"] = Binaries.procctl
        env["PROCD_HOME"] = sandbox.root + "/local"
        return env
    }

    @Test func listStartLogsAndARollingRestartOnTwoHosts() throws {
        try withSandbox { sandbox in
            let env = try prepare(sandbox)
            let homes = [sandbox.root + "/h1", sandbox.root + "/h2"]
            let ports = [try sshd(sandbox, "one", home: homes[0]), try sshd(sandbox, "two", home: homes[1])]
            let hosts = ports.map { "127.0.0.1:\($0)" }
            func procctl(_ arguments: [String], timeout: Duration = .seconds(30)) -> CommandResult {
                sandbox.run(Binaries.procctl, arguments, environment: env, timeout: timeout)
            }
            defer {
                for home in homes {
                    var local = sandbox.environment
                    local["PROCD_HOME"] = home
                    _ = sandbox.run(Binaries.procctl, ["kill"], environment: local)
                }
            }
            for (index, host) in hosts.enumerated() {
                let started = procctl(["--host", host, "start", Binaries.fixture, "--name", "app\(index)", "--", "--lines", "3"])
                #expect(started.status == 0, "\(started)")
            }
            #expect(FileManager.default.fileExists(atPath: homes[0] + "/procd.sock") && FileManager.default.fileExists(atPath: homes[1] + "/procd.sock"),
                    "the daemons did not start under their hosts' PROCD_HOME")
            let list = procctl(["--host", hosts[0], "--host", hosts[1], "list"])
            #expect(list.status == 0, "\(list)")
            #expect(list.stdout.contains("host") && list.stdout.contains(hosts[0]) && list.stdout.contains(hosts[1]), "\(list)")
            #expect(list.stdout.contains("app0") && list.stdout.contains("app1"), "\(list)")
            let json = procctl(["--host", hosts[0], "--host", hosts[1], "list", "--json"])
            let items = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]] ?? []
            #expect(Set(items.compactMap { $0["host"] as? String }) == Set(hosts), "\(json)")

            let logs = procctl(["--host", hosts[0], "logs", "app0", "--lines", "5", "--raw"])
            #expect(logs.status == 0 && logs.stdout.contains("line 3"), "\(logs)")
            let (follower, out, _) = try sandbox.launch("/usr/bin/env", ["PROCD_SSH=\(env["PROCD_SSH"] ?? "")", "PROCD_REMOTE_PROCCTL=\(Binaries.procctl)",
                                                                       Binaries.procctl, "--host", hosts[1], "logs", "app1", "-f", "--raw", "--lines", "0"])
            defer {
                kill(follower.processIdentifier, SIGKILL)
                follower.waitUntilExit()
            }
            let restart = procctl(["--host", hosts[0], "--host", hosts[1], "restart", "all"])
            #expect(restart.status == 0, "\(restart)")
            #expect(restart.stdout.contains("\(hosts[0]): app0 (id 0): online") && restart.stdout.contains("\(hosts[1]): app1 (id 0): online"), "\(restart)")
            #expect(sandbox.waitUntil { sandbox.read(out).contains("line 3") }, "logs -f over ssh saw nothing: \(sandbox.read(out))")

            let down = "127.0.0.1:\(Network.freePort())"
            let partial = procctl(["--host", hosts[0], "--host", down, "--host", hosts[1], "--keep-going", "restart", "all"])
            #expect(partial.status == 1, "\(partial)")
            #expect(partial.stderr.contains("\(down): ") && partial.stderr.contains("Connection refused"), "\(partial)")
            #expect(partial.stdout.contains(hosts[0]) && partial.stdout.contains(hosts[1]), "the other hosts did not answer: \(partial)")
            let stopped = procctl(["--host", down, "--host", hosts[0], "restart", "all"])
            #expect(stopped.status == 1 && !stopped.stdout.contains(hosts[0]), "a rolling restart went on after a failure: \(stopped)")
        }
    }

    /// A host whose sshd accepts connections but never answers (SIGSTOP): procctl gives up
    /// after the connect timeout with an error naming the host, and --keep-going still
    /// lists the other host.
    @Test func aHostThatDoesNotAnswerIsAnErrorNotAHang() throws {
        try withSandbox { sandbox in
            let env = try prepare(sandbox)
            let home = sandbox.root + "/h1"
            let port = try sshd(sandbox, "good", home: home)
            let stopped = try sshdProcess(sandbox, "stopped", home: sandbox.root + "/h2")
            defer {
                kill(stopped.pid, SIGCONT)
                var local = sandbox.environment
                local["PROCD_HOME"] = home
                _ = sandbox.run(Binaries.procctl, ["kill"], environment: local)
            }
            #expect(kill(stopped.pid, SIGSTOP) == 0)
            let good = "127.0.0.1:\(port)", silent = "127.0.0.1:\(stopped.port)"
            func procctl(_ arguments: [String]) -> (CommandResult, Duration) {
                let clock = ContinuousClock()
                let began = clock.now
                let result = sandbox.run(Binaries.procctl, arguments, environment: env, timeout: .seconds(40))
                return (result, clock.now - began)
            }
            #expect(procctl(["--host", good, "start", Binaries.fixture, "--name", "up"]).0.status == 0)

            let (alone, took) = procctl(["--connect-timeout", "2", "--host", silent, "list"])
            #expect(alone.status == 1, "\(alone)")
            #expect(alone.stderr.contains("procctl: error: \(silent): no answer within 2 s") && alone.stderr.contains("--connect-timeout"), "\(alone)")
            #expect(took < .seconds(10), "took \(took)")

            let (both, tookBoth) = procctl(["--connect-timeout", "2", "--host", silent, "--host", good, "--keep-going", "restart", "all"])
            #expect(both.status == 1, "\(both)")
            #expect(both.stderr.contains("\(silent): procctl: error: \(silent): no answer"), "\(both)")
            #expect(both.stdout.contains("\(good): up (id 0): online"), "the other host was not restarted: \(both)")
            #expect(tookBoth < .seconds(15), "took \(tookBoth)")

            // The default: 10 s, not forever.
            let (byDefault, tookDefault) = procctl(["--host", silent, "--host", good, "list"])
            #expect(byDefault.status == 1 && byDefault.stdout.contains("up"), "\(byDefault)")
            #expect(byDefault.stderr.contains("no answer within 10 s"), "\(byDefault)")
            #expect(tookDefault < .seconds(25), "took \(tookDefault)")
        }
    }
}
