import Foundation
import Testing

/// The daemon itself: its lock, its signals, `procctl kill`, file modes and the socket.
@Suite("Daemon", .serialized, .timeLimit(.minutes(1)))
struct DaemonTests {
    @Test func secondForegroundDaemonRefusesNamingTheFirst() throws {
        try withSandbox { sandbox in
            #expect(sandbox.procctl("ping").status == 0)
            let first = try #require(sandbox.daemonPid, "no pid in procd.pid")
            let second = sandbox.run(Binaries.procd, ["--foreground"], timeout: .seconds(10))
            #expect(second.status == 1, "\(second)")
            #expect(second.stderr.hasPrefix("procd: "), "\(second)")
            #expect(second.stderr.contains("pid \(first)"), "\(second)")
            #expect(ProcessProbe.isAlive(first))
            #expect(sandbox.procctl("ping").status == 0)
            #expect(sandbox.read(sandbox.home + "/procd.pid") == "\(first)\n")
        }
    }

    @Test func sigtermStopsAppsAndExitsZero() throws {
        try withSandbox { sandbox in
            let daemon = try sandbox.launch(Binaries.procd, ["--foreground"]).process
            #expect(sandbox.waitUntil { Network.connectUnix(sandbox.socketPath).map { close($0) } != nil },
                    "procd --foreground never opened its socket")
            sandbox.noteDaemon()
            // The process started is the keeper; the daemon is its child. The keeper writes
            // keeper.pid once the daemon serves, so it may come a moment after the socket.
            #expect(sandbox.waitUntil { sandbox.keeperPid == daemon.processIdentifier },
                    "keeper.pid holds \(sandbox.keeperPid.map(String.init) ?? "nothing"), the keeper is \(daemon.processIdentifier)")
            let options = ["--kill-timeout", "300"]
            #expect(sandbox.startFixture("plain", ["--fork-grandchild"]).status == 0)
            #expect(sandbox.startFixture("stubborn", ["--ignore-term", "--ready-line"], options: options).status == 0)
            let plain = try #require(try sandbox.waitForStatus("plain", "online").first?.pid)
            let stubborn = try #require(try sandbox.waitForStatus("stubborn", "online").first?.pid)
            try sandbox.waitForOutput("stubborn", containing: "ready")
            let grandchildLine = try sandbox.waitForOutput("plain", containing: "grandchild ")
                .split(separator: "\n").first { $0.hasPrefix("grandchild ") }
            let grandchild = try #require(grandchildLine.flatMap { Int32($0.dropFirst("grandchild ".count)) })
            sandbox.track(grandchild)

            kill(daemon.processIdentifier, SIGTERM)
            #expect(sandbox.waitUntil(timeout: .seconds(10)) { !daemon.isRunning }, "procd ignored SIGTERM")
            daemon.waitUntilExit()
            #expect(daemon.terminationReason == .exit)
            #expect(daemon.terminationStatus == 0)
            for pid in [plain, stubborn, grandchild] {
                #expect(sandbox.waitUntil(timeout: .seconds(2)) { !ProcessProbe.isAlive(pid) }, "pid \(pid) outlived procd")
            }
        }
    }

    @Test func killLeavesNoProcessAndNoDaemon() throws {
        try withSandbox { sandbox in
            #expect(sandbox.startFixture("one", ["--fork-grandchild"]).status == 0)
            #expect(sandbox.startFixture("two", ["--ignore-term", "--ready-line"], options: ["--kill-timeout", "300"]).status == 0)
            #expect(sandbox.startFixture("three", [], options: ["--instances", "2"]).status == 0)
            try sandbox.waitForStatus("one", "online")
            try sandbox.waitForStatus("two", "online")
            try sandbox.waitForStatus("three", "online", count: 2)
            try sandbox.waitForOutput("two", containing: "ready")
            let log = try sandbox.waitForOutput("one", containing: "grandchild ")
            let line = log.split(separator: "\n").first { $0.hasPrefix("grandchild ") }
            let grandchild = try #require(line.flatMap { Int32($0.dropFirst("grandchild ".count)) })
            sandbox.track(grandchild)
            let pids = try sandbox.list().compactMap(\.pid) + [grandchild]
            #expect(pids.count == 5)
            let daemon = try #require(sandbox.daemonPid)
            let keeper = try sandbox.waitForKeeper()

            let result = sandbox.procctl("kill")
            #expect(result.status == 0, "\(result)")
            #expect(sandbox.waitUntil(timeout: .seconds(3)) { !ProcessProbe.isAlive(daemon) }, "procd \(daemon) outlived kill")
            // The keeper leaves with the daemon, and takes its pid file with it.
            #expect(sandbox.waitUntil(timeout: .seconds(3)) { !ProcessProbe.isAlive(keeper) }, "the keeper \(keeper) outlived kill")
            #expect(!FileManager.default.fileExists(atPath: sandbox.home + "/keeper.pid"))
            for pid in pids {
                #expect(sandbox.waitUntil(timeout: .seconds(2)) { !ProcessProbe.isAlive(pid) }, "pid \(pid) outlived kill")
            }
            #expect(Network.connectUnix(sandbox.socketPath) == nil)
            let again = sandbox.run(Binaries.procctl, ["kill"])
            #expect(again.status == 0, "\(again)")
        }
    }

    @Test func homeIsPrivateAndSocketIsOwnerOnly() throws {
        try withSandbox { sandbox in
            #expect(sandbox.procctl("ping").status == 0)
            #expect(permissions(sandbox.home) == 0o700, "home mode \(String(permissions(sandbox.home) ?? 0, radix: 8))")
            #expect(permissions(sandbox.socketPath) == 0o600,
                    "socket mode \(String(permissions(sandbox.socketPath) ?? 0, radix: 8))")
            #expect(FileManager.default.fileExists(atPath: sandbox.home + "/procd.pid"))
            #expect(sandbox.daemonLog.contains("started"))
        }
    }

    @Test func malformedRequestsGetAnErrorAndTheDaemonKeepsServing() throws {
        try withSandbox { sandbox in
            #expect(sandbox.procctl("ping").status == 0)
            let daemon = try #require(sandbox.daemonPid)
            let fd = try #require(Network.connectUnix(sandbox.socketPath))
            defer { close(fd) }
            let hostile = ["this is not json", "[1,2,3]", "{\"id\":\"x\",\"cmd\":\"ping\"}", "{\"id\":4,\"cmd\":\"no-such-command\"}",
                           "{\"id\":5,\"cmd\":\"stop\",\"args\":{\"targets\":7}}", "{\"id\":6", "\u{1}\u{2}\u{ff}"]
            for line in hostile {
                #expect(Network.send(fd, line + "\n"))
                let reply = try #require(Network.readLine(fd), "no reply to \(line)")
                let object = try JSONSerialization.jsonObject(with: Data(reply.utf8)) as? [String: Any]
                #expect(object?["ok"] as? Bool == false, "reply to \(line): \(reply)")
                let error = object?["error"] as? [String: Any]
                #expect(error?["code"] is String && error?["message"] is String, "reply to \(line): \(reply)")
            }
            #expect(Network.send(fd, "{\"id\":9,\"cmd\":\"ping\"}\n"))
            let pong = try #require(Network.readLine(fd))
            let object = try JSONSerialization.jsonObject(with: Data(pong.utf8)) as? [String: Any]
            #expect(object?["ok"] as? Bool == true, "\(pong)")
            #expect(object?["id"] as? Int == 9, "\(pong)")

            #expect(ProcessProbe.isAlive(daemon))
            #expect(sandbox.procctl("ping").status == 0)
            #expect(sandbox.startFixture("after", []).status == 0)
            try sandbox.waitForStatus("after", "online")
        }
    }

    @Test func oversizedRequestGetsAnErrorAndTheDaemonLives() throws {
        try withSandbox { sandbox in
            #expect(sandbox.procctl("ping").status == 0)
            let daemon = try #require(sandbox.daemonPid)
            let fd = try #require(Network.connectUnix(sandbox.socketPath))
            defer { close(fd) }
            // 1 MiB is the SPEC's limit for a line; the daemon may hang up while this is sent.
            let huge = "{\"id\":1,\"cmd\":\"ping\",\"args\":{\"pad\":\"" + String(repeating: "a", count: 1_100_000) + "\"}}\n"
            _ = Network.send(fd, huge)
            let reply = try #require(Network.readLine(fd), "no reply to an oversized line")
            let object = try JSONSerialization.jsonObject(with: Data(reply.utf8)) as? [String: Any]
            #expect(object?["ok"] as? Bool == false, "\(reply)")
            #expect(ProcessProbe.isAlive(daemon))
            #expect(sandbox.procctl("ping").status == 0)
        }
    }

    /// Without a keeper: the table comes back, the dead daemon's processes do not.
    @Test func tableIsRestoredAfterADaemonCrash() throws {
        try withSandbox { sandbox in
            sandbox.withoutKeeper = true
            #expect(sandbox.startFixture("survivor", [], options: ["--instances", "2"]).status == 0)
            let before = try sandbox.waitForStatus("survivor", "online", count: 2)
            let daemon = try #require(sandbox.daemonPid)
            kill(daemon, SIGKILL)
            #expect(sandbox.waitUntil { !ProcessProbe.isAlive(daemon) })

            #expect(sandbox.procctl("ping").status == 0)    // starts a new daemon
            #expect(sandbox.daemonPid != daemon)
            let after = try sandbox.waitForStatus("survivor", "online", count: 2)
            #expect(after.map(\.id).sorted() == before.map(\.id).sorted())
            #expect(after.map(\.instance).sorted() == [0, 1])
            // The processes the dead daemon left behind are stopped, not kept as duplicates.
            for pid in before.compactMap(\.pid) {
                #expect(sandbox.waitUntil(timeout: .seconds(3)) { !ProcessProbe.isAlive(pid) }, "old pid \(pid) still runs")
            }
        }
    }

    @Test func daemonStartsEmptyAfterKill() throws {
        try withSandbox { sandbox in
            #expect(sandbox.startFixture("gone", []).status == 0)
            try sandbox.waitForStatus("gone", "online")
            #expect(sandbox.procctl("kill").status == 0)
            #expect(sandbox.procctl("ping").status == 0)
            let listed = try sandbox.list()
            #expect(listed.isEmpty, "\(listed.map(\.name))")
        }
    }

    private func permissions(_ path: String) -> Int? {
        var st = stat()
        guard stat(path, &st) == 0 else { return nil }
        return Int(st.st_mode & 0o7777)
    }
}
