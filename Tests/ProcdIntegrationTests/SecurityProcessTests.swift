import Foundation
import Testing

/// What an app can get from the daemon, and what a misbehaving app can do to it:
/// descriptors, identity, process trees, floods, closed output, instant exits.
@Suite("Security and robustness of apps", .serialized, .timeLimit(.minutes(1)))
struct SecurityProcessTests {
    static let isRoot = getuid() == 0
    static let node = ["/usr/bin/node", "/usr/local/bin/node"].first { FileManager.default.isExecutableFile(atPath: $0) }

    @Test func appHoldsOnlyStandardDescriptorsAndItsListeningSocket() throws {
        try withSandbox { sandbox in
            #expect(sandbox.startFixture("plain", ["--print-fds"]).status == 0)
            try sandbox.waitForStatus("plain", "online")
            let plain = try sandbox.waitForOutput("plain", containing: "fds ")
            #expect(lines(plain, prefix: "fds ") == ["fds 0 1 2"], "\(plain)")

            let port = Network.freePort()
            #expect(sandbox.startFixture("listener", ["--print-fds"], options: ["--port", "127.0.0.1:\(port)"]).status == 0)
            let pid = try #require(try sandbox.waitForStatus("listener", "online").first?.pid)
            let listener = try sandbox.waitForOutput("listener", containing: "fds ")
            #expect(lines(listener, prefix: "fds ") == ["fds 0 1 2 3"], "\(listener)")
            #expect(try link(pid, 3).hasPrefix("socket:"), "fd 3 is not the listening socket")
            #expect(ProcessProbe.environment(pid)?["LISTEN_FDS"] == "1")
        }
    }

    /// Node itself opens descriptors (epoll, eventfd, pipes), so this looks at what they
    /// are: the IPC channel is the app's only socket, and nothing points into PROCD_HOME.
    @Test(.enabled(if: node != nil, "node is not installed"))
    func nodeAppHoldsItsIPCChannelAndNoDaemonDescriptor() throws {
        try withSandbox { sandbox in
            let script = try sandbox.write("ipc.js", """
                setTimeout(() => console.log('channel ' + typeof process.send), 50);
                process.on('message', () => {});
                setInterval(() => {}, 1000);

                """)
            #expect(sandbox.procctl("start", script, "--name", "ipc").status == 0)
            let pid = try #require(try sandbox.waitForStatus("ipc", "online").first?.pid)
            // Node deletes NODE_CHANNEL_FD from process.env once it has the channel; the
            // environment it was started with is still in /proc/PID/environ.
            let log = try sandbox.waitForOutput("ipc", containing: "channel ")
            #expect(lines(log, prefix: "channel ") == ["channel function"], "node found no IPC channel: \(log)")
            let channelText = ProcessProbe.environment(pid)?["NODE_CHANNEL_FD"]
            let channel = try #require(channelText.flatMap { Int32($0) }, "NODE_CHANNEL_FD is \(channelText ?? "unset")")
            let fds = try descriptors(pid)
            #expect(fds.keys.contains(channel), "the IPC fd \(channel) is not open: \(fds)")
            #expect([0, 1, 2].allSatisfy { fds.keys.contains($0) })
            let sockets = fds.filter { $0.value.hasPrefix("socket:") }.keys.sorted()
            #expect(sockets == [channel], "sockets other than the IPC channel: \(fds)")
            let intoHome = fds.filter { $0.value.hasPrefix(sandbox.home) || $0.value.contains("signalfd") || $0.value.contains("pidfd") }
            #expect(intoHome.isEmpty, "daemon descriptors leaked into the app: \(intoHome)")
        }
    }

    @Test(.enabled(if: isRoot, "only root can run an app as another user"))
    func appRunsAsNobodyWithItsGroups() throws {
        try withSandbox { sandbox in
            let expectedGroups = Set(try groups(of: "nobody", sandbox))
            // The sandbox is private (0700), so the app works in / where nobody may be.
            let result = sandbox.startFixture("lowly", ["--lines", "3", "--stderr", "to-err"], options: ["--user", "nobody", "--cwd", "/"])
            #expect(result.status == 0, "\(result)")
            let pid = try #require(try sandbox.waitForStatus("lowly", "online").first?.pid)
            let status = sandbox.read("/proc/\(pid)/status")
            #expect(field(status, "Uid") == ["65534", "65534", "65534", "65534"], "\(status)")
            #expect(field(status, "Gid") == ["65534", "65534", "65534", "65534"], "\(status)")
            #expect(Set(field(status, "Groups")) == expectedGroups, "Groups \(field(status, "Groups")), expected \(expectedGroups)")

            // The log files are the daemon's (root's): still readable by root, not handed to nobody.
            try sandbox.waitForOutput("lowly", containing: "line 3\n")
            #expect(sandbox.outLog("lowly") == "line 1\nline 2\nline 3\n")
            #expect(sandbox.waitUntil { sandbox.errLog("lowly") == "to-err\n" }, "err log: \(sandbox.errLog("lowly"))")
            for path in ["\(sandbox.home)/logs/lowly-out.log", "\(sandbox.home)/logs/lowly-err.log"] {
                #expect(access(path, R_OK) == 0, "root cannot read \(path)")
                var st = stat()
                #expect(stat(path, &st) == 0 && st.st_uid == 0, "\(path) is owned by uid \(st.st_uid)")
            }
        }
    }

    /// The sandbox's folders are 0700, so uid 65534 cannot enter the working directory: the
    /// reason should say so rather than blame the program.
    @Test(.enabled(if: isRoot, "only root can run an app as another user"))
    func unreachableWorkingDirectoryIsNamedInTheReason() throws {
        try withSandbox { sandbox in
            _ = sandbox.startFixture("lost", [], options: ["--user", "nobody", "--no-autorestart"])
            let p = try #require(try sandbox.waitForStatus("lost", "errored").first)
            let reason = p.reason ?? ""
            #expect(reason.contains(sandbox.work) || reason.contains("cwd") || reason.contains("directory"),
                    "reason: \(reason)")
        }
    }

    @Test func stopLeavesNoneOfTwoHundredChildren() throws {
        try withSandbox { sandbox in
            let script = try sandbox.write("forker.sh", "for i in $(seq 200); do sleep 1000 & done; wait\n")
            #expect(sandbox.procctl("start", script, "--name", "forker").status == 0)
            let pid = try #require(try sandbox.waitForStatus("forker", "online").first?.pid)
            var children: [Int32] = []
            let forked = sandbox.waitUntil(timeout: .seconds(20)) {
                children = childPids(of: pid)
                return children.count >= 200
            }
            for child in children { sandbox.track(child) }
            #expect(forked && children.count == 200, "\(children.count) children, expected 200")

            let stop = sandbox.procctl("stop", "forker")
            #expect(stop.status == 0, "\(stop)")
            try sandbox.waitForStatus("forker", "stopped")
            var survivors: [Int32] = []
            let clean = sandbox.waitUntil(timeout: .seconds(5)) {
                survivors = children.filter(ProcessProbe.isAlive)
                return survivors.isEmpty && !ProcessProbe.isAlive(pid)
            }
            #expect(clean, "\(survivors.count) children survived stop: \(survivors.prefix(10))")
        }
    }

    @Test func tenThousandLinesASecondLoseNoLine() throws {
        try withSandbox { sandbox in
            // 100 lines every 10 ms for 2 s, each batch written as it is made.
            let script = try sandbox.write("flood.py", """
                import os, time
                start = time.monotonic()
                n = 0
                for batch in range(200):
                    chunk = "".join("line %d\\n" % (n + i + 1) for i in range(100))
                    n += 100
                    data = chunk.encode()
                    while data:
                        data = data[os.write(1, data):]
                    pause = start + (batch + 1) * 0.01 - time.monotonic()
                    if pause > 0:
                        time.sleep(pause)

                """)
            #expect(sandbox.procctl("start", script, "--name", "flood", "--no-autorestart").status == 0)
            let done = try #require(try sandbox.waitForStatus("flood", "stopped", timeout: .seconds(20)).first)
            #expect(done.exitCode == 0, "flood.py failed:\n\(sandbox.errLog("flood"))")
            var log = ""
            let complete = sandbox.waitUntil(timeout: .seconds(5)) {
                log = sandbox.outLog("flood")
                return log.hasSuffix("line 20000\n")
            }
            #expect(complete, "the log does not end with line 20000: \(log.suffix(60))")
            let lines = Array(log.split(separator: "\n", omittingEmptySubsequences: false).dropLast())
            #expect(lines.count == 20_000, "\(lines.count) lines captured")
            let firstWrong = lines.indices.first { lines[$0] != "line \($0 + 1)" }
            #expect(firstWrong == nil, "line \(firstWrong.map { $0 + 1 } ?? 0) is '\(firstWrong.map { lines[$0] } ?? "")'")
        }
    }

    @Test func appThatClosesItsStdoutKeepsRunning() throws {
        try withSandbox { sandbox in
            let script = try sandbox.write("mute.sh", """
                echo before
                exec >&-
                echo closed >&2
                sleep 1
                echo still-here >&2
                exec sleep 1000

                """)
            #expect(sandbox.procctl("start", script, "--name", "mute").status == 0)
            let pid = try #require(try sandbox.waitForStatus("mute", "online").first?.pid)
            // The second line comes a second after stdout closed: the daemon kept reading stderr.
            #expect(sandbox.waitUntil(timeout: .seconds(10)) { sandbox.errLog("mute").contains("still-here\n") },
                    "err log: \(sandbox.errLog("mute"))\n\(sandbox.diagnostics)")
            #expect(sandbox.outLog("mute") == "before\n")
            let after = try #require(try sandbox.processes(named: "mute").first)
            #expect(after.status == "online" && after.pid == pid && after.restarts == 0,
                    "\(after.status) pid \(after.pid.map(String.init) ?? "-") restarts \(after.restarts)")
            #expect(ProcessProbe.isAlive(pid))
            #expect(sandbox.procctl("ping").status == 0)
            #expect(sandbox.startFixture("next", ["--lines", "1"]).status == 0)
            try sandbox.waitForOutput("next", containing: "line 1")
            #expect(sandbox.procctl("stop", "mute").status == 0)
            try sandbox.waitForStatus("mute", "stopped")
        }
    }

    @Test func appThatExitsAtOnceWithoutAutorestartEndsStopped() throws {
        try withSandbox { sandbox in
            let result = sandbox.procctl("start", "true", "--name", "instant", "--no-autorestart")
            #expect(result.status == 0, "\(result)")
            let p = try #require(try sandbox.waitForStatus("instant", "stopped").first)
            #expect(p.exitCode == 0)
            #expect(p.restarts == 0)
            #expect(p.pid == nil)
            #expect(sandbox.procctl("ping").status == 0)
            // It stays stopped: no restart comes later.
            let later = try #require(try sandbox.processes(named: "instant").first)
            #expect(later.status == "stopped" && later.restarts == 0)
        }
    }

    // MARK: Helpers

    private func lines(_ log: String, prefix: String) -> [String] {
        log.split(separator: "\n").filter { $0.hasPrefix(prefix) }.map(String.init)
    }

    private func link(_ pid: Int32, _ fd: Int32) throws -> String {
        try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(pid)/fd/\(fd)")
    }

    /// Every open descriptor of `pid` with what it points to.
    private func descriptors(_ pid: Int32) throws -> [Int32: String] {
        var out: [Int32: String] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/fd") {
            guard let fd = Int32(name) else { continue }
            out[fd] = (try? link(pid, fd)) ?? "?"
        }
        return out
    }

    /// The values of a `Name:` line of /proc/PID/status.
    private func field(_ status: String, _ name: String) -> [String] {
        guard let line = status.split(separator: "\n").first(where: { $0.hasPrefix(name + ":") }) else { return [] }
        return line.dropFirst(name.count + 1).split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
    }

    private func groups(of user: String, _ sandbox: Sandbox) throws -> [String] {
        let result = sandbox.run("/usr/bin/id", ["-G", user])
        guard result.status == 0 else { throw SandboxError("id -G \(user): \(result)") }
        return result.stdout.split(whereSeparator: \.isWhitespace).map(String.init)
    }

    /// Direct children of `pid`, from /proc/PID/task/*/children.
    private func childPids(of pid: Int32) -> [Int32] {
        let tasks = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/task")) ?? []
        return tasks.flatMap { task -> [Int32] in
            let text = (try? String(contentsOfFile: "/proc/\(pid)/task/\(task)/children", encoding: .utf8)) ?? ""
            return text.split(separator: " ").compactMap { Int32($0) }
        }
    }
}
