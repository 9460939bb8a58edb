import ProcdCore
import ProcdPlatform
import Testing

@testable import ProcdDaemon

/// Above the kernel's largest possible pid (2^22): whatever a retiree's group is sent can
/// reach no process. Only paths that do not stop a retiree are tested, and the loop never
/// runs, so no SIGKILL deadline fires.
let unusedPid: Int32 = 1 << 30

func retiree(killAt: Tick? = nil) -> Retiree {
    Retiree(pid: unusedPid, slot: 3, label: "web#0 (id 3)", killSignal: Signals.term, killTimeout: .milliseconds(1600), killAt: killAt)
}

struct RetireesTests {
    @Test func aReapedRetireeIsForgottenAndLogged() throws {
        let path = "/tmp/procd-retirees-\(Processes.currentPid).log"
        defer { try? File.remove(path) }
        let log = DaemonLog(path: path, echo: false)
        let retirees = Retirees(loop: try EventLoop(), log: log, stopping: { _ in })
        retirees.add(retiree())
        #expect(retirees.contains(unusedPid))
        #expect(retirees.reaped(unusedPid, .code(0)))
        #expect(!retirees.contains(unusedPid))
        #expect(retirees.isEmpty)
        #expect(!retirees.reaped(unusedPid, .code(0)), "a pid is a retiree once")
        log.close()
        let lines = String(decoding: try File.read(path), as: UTF8.self).split(separator: "\n")
        #expect(lines.count == 1)
        #expect(lines.first?.hasSuffix("info: web#0 (id 3): retired pid \(unusedPid) exited (exit code 0)") == true)
    }

    /// The new image adopts each retiree as it was, including a SIGKILL deadline already set.
    @Test(arguments: [nil, Tick(nanoseconds: 5_000_000_000)])
    func handOverDescribesEachRetiree(killAt: Tick?) throws {
        let log = DaemonLog(path: "/dev/null", echo: false)
        let retirees = Retirees(loop: try EventLoop(), log: log, stopping: { _ in })
        retirees.add(retiree(killAt: killAt))
        var kept: [Int32] = []
        let entries = retirees.handOver(keeping: &kept)
        #expect(entries.count == 1)
        let entry = try #require(entries.first)
        #expect(entry["pid"]?.intValue == Int(unusedPid))
        #expect(entry["slot"]?.intValue == 3)
        #expect(entry["label"]?.stringValue == "web#0 (id 3)")
        #expect(entry["kill_signal"]?.intValue == Int(Signals.term))
        #expect(entry["kill_timeout_ms"]?.intValue == 1600)
        #expect(entry["kill_at"]?.doubleValue == killAt.map { Double($0.nanoseconds) })
        #expect(kept.isEmpty, "no channel, no descriptor to keep")
    }

    /// A retiree asked to stop is told to whoever deals it connections, once, with its channel.
    @Test func stoppingARetireeTellsItsChannel() throws {
        let (mine, theirs) = try Sockets.messagePair()
        defer { theirs.close() }
        var told: [UInt64] = []
        let retirees = Retirees(loop: try EventLoop(), log: DaemonLog(path: "/dev/null", echo: false)) { told.append($0.token) }
        var withChannel = retiree()
        withChannel.channel = IPCChannel(token: 77, processID: 3, fd: mine)
        retirees.add(withChannel)
        retirees.stop(slot: 3)
        retirees.stop(slot: 3)
        #expect(told == [77])
    }
}
