import Foundation
import Testing

/// The limit on open descriptors: a daemon at its limit pauses accepting instead of
/// spinning, and the keeper raises its own limit so hundreds of apps survive a crash.
@Suite("Limits", .serialized, .timeLimit(.minutes(3)))
struct LimitsTests {
    static let prlimit = ["/usr/bin/prlimit", "/bin/prlimit"].first { FileManager.default.isExecutableFile(atPath: $0) }

    /// CPU time (utime + stime, in clock ticks) a process has used.
    static func cpuTicks(_ pid: Int32) -> Int? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = text.lastIndex(of: ")") else { return nil }
        let fields = text[text.index(after: close)...].split(separator: " ")
        // After the name: state is field 3, utime 14 and stime 15.
        guard fields.count > 12, let user = Int(fields[11]), let system = Int(fields[12]) else { return nil }
        return user + system
    }

    /// Waits until `pid` uses no CPU time over `quiet` (a busy loop never gets there).
    static func cpuGoesQuiet(_ sandbox: Sandbox, _ pid: Int32, quiet: Duration = .milliseconds(600)) -> Bool {
        let clock = ContinuousClock()
        var mark = (ticks: cpuTicks(pid), at: clock.now)
        return sandbox.waitUntil(timeout: .seconds(15)) {
            let ticks = cpuTicks(pid)
            if ticks != mark.ticks { mark = (ticks, clock.now) }
            return ticks != nil && clock.now - mark.at >= quiet
        }
    }

    /// Issue "Limits and faults": 20 clients at a limit of 24 descriptors made procd log
    /// 800,000 lines in 2 s and spin at 77 % CPU.
    @Test(.enabled(if: prlimit != nil))
    func aClientFloodAtTheDescriptorLimitNeitherSpinsNorFloodsTheLog() throws {
        try withSandbox { sandbox in
            let prlimit = try #require(Self.prlimit)
            let started = sandbox.run(prlimit, ["--nofile=24:24", Binaries.procctl, "ping"], environment: sandbox.environment)
            #expect(started.status == 0, "\(started)")
            sandbox.noteDaemon()
            let daemon = try #require(sandbox.daemonPid)
            let logBefore = sandbox.daemonLog.utf8.count
            var clients: [Int32] = []
            defer { for fd in clients { close(fd) } }
            for _ in 0..<20 {
                if let fd = Network.connectUnix(sandbox.socketPath) { clients.append(fd) }
            }
            #expect(clients.count == 20)
            #expect(sandbox.waitUntil { sandbox.daemonLog.contains("not accepting connections") }, "\(sandbox.diagnostics)")
            #expect(Self.cpuGoesQuiet(sandbox, daemon), "procd kept using CPU at its descriptor limit")
            let grown = sandbox.daemonLog.utf8.count - logBefore
            #expect(grown < 2048, "procd.log grew by \(grown) bytes\n\(sandbox.diagnostics)")
            for fd in clients { close(fd) }
            clients = []
            let ping = sandbox.run(Binaries.procctl, ["ping"], environment: sandbox.environment, timeout: .seconds(10))
            #expect(ping.status == 0, "\(ping)")
            #expect(sandbox.waitUntil { sandbox.daemonLog.contains("accepting connections again after") }, "\(sandbox.diagnostics)")
            #expect(Self.cpuGoesQuiet(sandbox, daemon), "procd kept using CPU once the clients left")
            #expect(sandbox.daemonLog.utf8.count - logBefore < 4096, "\(sandbox.diagnostics)")
        }
    }

    /// Issue "Limits and faults": with 600 apps and a soft limit of 1024 the keeper could
    /// not start the daemon again after `kill -9` (socketpair: EMFILE); none kept its pid.
    @Test(.enabled(if: prlimit != nil))
    func sixHundredAppsKeepTheirPidsAcrossADaemonCrash() throws {
        try withSandbox { sandbox in
            let prlimit = try #require(Self.prlimit)
            let apps = (0..<600).map { "{\"name\": \"s\($0)\", \"script\": \"/bin/sleep\", \"args\": [\"3600\"]}" }
            let file = try sandbox.write("apps.json", "{\"apps\": [\(apps.joined(separator: ",\n"))]}")
            let started = sandbox.run(prlimit, ["--nofile=1024:20000", Binaries.procctl, "start", file],
                                      environment: sandbox.environment, timeout: .seconds(120))
            sandbox.noteDaemon()
            #expect(started.status == 0, "\(started.stderr.suffix(2000))")
            var before: [ListedProcess] = []
            #expect(try sandbox.waitUntil(timeout: .seconds(60)) {
                before = try sandbox.list()
                return before.count == 600 && before.allSatisfy { $0.status == "online" && $0.pid != nil }
            }, "\(before.filter { $0.status != "online" }.prefix(5))")
            let keeper = try sandbox.waitForKeeper()
            let limits = (try? String(contentsOfFile: "/proc/\(keeper)/limits", encoding: .utf8)) ?? ""
            let line = limits.split(separator: "\n").first { $0.hasPrefix("Max open files") }.map(String.init) ?? ""
            #expect(line.split(separator: " ").contains("20000") && !line.split(separator: " ").contains("1024"), "\(line)")
            let daemon = try #require(sandbox.daemonPid)
            #expect(kill(daemon, SIGKILL) == 0)
            #expect(sandbox.waitUntil(timeout: .seconds(30)) {
                sandbox.noteDaemon()
                return sandbox.daemonPid != daemon && sandbox.procctl("ping").status == 0
            }, "no daemon after the crash\n\(sandbox.diagnostics)")
            let after = try sandbox.list()
            let kept = Dictionary(uniqueKeysWithValues: before.map { ($0.id, $0.pid) })
            let same = after.filter { $0.status == "online" && $0.pid != nil && kept[$0.id] == $0.pid }.count
            #expect(same == 600, "\(same) of 600 kept their pid\n\(sandbox.diagnostics)")
            #expect(!sandbox.daemonLog.contains("Too many open files"), "\(sandbox.diagnostics)")
        }
    }
}
