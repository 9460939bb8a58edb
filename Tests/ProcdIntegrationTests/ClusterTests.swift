import Foundation
import Testing

/// Daemon-held listening sockets shared by instances, zero-downtime reload, scale, and a
/// port that is already taken.
@Suite(.serialized, .timeLimit(.minutes(1)))
struct ClusterTests {
    @Test func twoInstancesAnswerOnOneDaemonHeldSocket() throws {
        try withSandbox { sandbox in
            let port = Network.freePort()
            let server = try ClusterApps.writeServer(sandbox)
            let started = sandbox.procctl("start", server, "--name", "web", "--port", "127.0.0.1:\(port)", "-i", "2",
                                          "--wait-ready", "--env", "SEND_READY=1", "--kill-timeout", "500")
            #expect(started.status == 0, "\(started)\n\(sandbox.outLog("web"))")
            let web = try sandbox.waitForStatus("web", "online", count: 2)
            let pids = Set(web.compactMap(\.pid))
            #expect(pids.count == 2)
            #expect(web.allSatisfy { $0.ports == [port] }, "\(web.map(\.ports))")

            var answered = Set<Int32>()
            var last: String?
            let both = sandbox.waitUntil(timeout: .seconds(10)) {
                last = Network.httpGet(port: port)
                if let pid = ClusterApps.pid(inReply: last) { answered.insert(pid) }
                return answered == pids
            }
            #expect(both, "answered by \(answered), instances \(pids); last reply: \(last ?? "none")\n\(sandbox.outLog("web"))")
            #expect(!sandbox.outLog("web").contains("bad activation"), "\(sandbox.outLog("web"))")
        }
    }

    @Test func reloadUnderLoadFailsNoRequestAndReplacesEveryPid() throws {
        try withSandbox { sandbox in
            let port = Network.freePort()
            let server = try ClusterApps.writeServer(sandbox)
            let started = sandbox.procctl("start", server, "--name", "api", "--port", "127.0.0.1:\(port)", "-i", "2",
                                          "--wait-ready", "--env", "SEND_READY=1", "--kill-timeout", "1000")
            #expect(started.status == 0, "\(started)")
            let before = try sandbox.waitForStatus("api", "online", count: 2)
            let oldPids = Set(before.compactMap(\.pid))
            #expect(sandbox.waitUntil { Network.httpGet(port: port) != nil }, "the server never answered")

            let hammer = Hammer(port: port)
            hammer.start(threads: 4)
            defer { hammer.stop() }
            #expect(sandbox.waitUntil(timeout: .seconds(5)) { hammer.snapshot.ok >= 20 }, "no load before the reload")
            let reload = sandbox.procctl("reload", "api")
            #expect(reload.status == 0, "\(reload)")
            let after = try sandbox.waitForStatus("api", "online", count: 2)
            let newPids = Set(after.compactMap(\.pid))
            #expect(newPids.count == 2 && newPids.isDisjoint(with: oldPids), "old \(oldPids), new \(newPids)")
            #expect(Set(after.map(\.id)) == Set(before.map(\.id)), "ids changed")
            // Keep the load on until both new processes have answered (at most a few seconds).
            let servedByNew = sandbox.waitUntil(timeout: .seconds(5)) {
                newPids.isSubset(of: Set(hammer.snapshot.pids.suffix(200)))
            }
            let tally = hammer.stop()
            #expect(servedByNew, "the new processes did not both answer")
            #expect(tally.failures.isEmpty, "\(tally.failures.count) of \(tally.ok + tally.failures.count) requests failed: \(tally.failures.prefix(3))")
            #expect(tally.ok >= 40, "only \(tally.ok) requests went through")
            #expect(Set(tally.pids).isSubset(of: oldPids.union(newPids)))
        }
    }

    @Test func scaleUpToThreeThenDownByTwo() throws {
        try withSandbox { sandbox in
            #expect(sandbox.startFixture("pool", []).status == 0)
            let one = try sandbox.waitForStatus("pool", "online", count: 1)
            let up = sandbox.procctl("scale", "pool", "3")
            #expect(up.status == 0, "\(up)")
            let three = try sandbox.waitForStatus("pool", "online", count: 3)
            #expect(Set(three.map(\.instance)) == [0, 1, 2], "\(three.map(\.instance))")
            #expect(Set(three.compactMap(\.pid)).count == 3)
            #expect(three.contains { $0.id == one[0].id && $0.pid == one[0].pid }, "scaling up restarted the first process")

            let down = sandbox.procctl("scale", "pool", "-2")
            #expect(down.status == 0, "\(down)")
            let left = try sandbox.waitForStatus("pool", "online", count: 1)
            #expect(left.first?.instance == 0 && left.first?.pid == one[0].pid, "\(left.map { ($0.instance, $0.pid) })")
            let removed = three.compactMap(\.pid).filter { $0 != one[0].pid }
            #expect(sandbox.waitUntil { removed.allSatisfy { !ProcessProbe.isAlive($0) } }, "extra instances still run: \(removed)")

            let tooFew = sandbox.procctl("scale", "pool", "-5")
            #expect(tooFew.status == 1 && tooFew.stderr.contains("error"), "\(tooFew)")
            #expect(try sandbox.processes(named: "pool").count == 1)
        }
    }

    @Test func startOnAPortInUseFailsAndSaysSo() throws {
        try withSandbox { sandbox in
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            defer { close(fd) }
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            var length = socklen_t(MemoryLayout<sockaddr_in>.size)
            let listening = withUnsafeMutablePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    bind(fd, $0, length) == 0 && listen(fd, 4) == 0 && getsockname(fd, $0, &length) == 0
                }
            }
            try #require(listening)
            let port = Int(UInt16(bigEndian: address.sin_port))

            let server = try ClusterApps.writeServer(sandbox)
            let result = sandbox.procctl("start", server, "--name", "taken", "--port", "127.0.0.1:\(port)")
            #expect(result.status == 1, "\(result)")
            #expect(result.stderr.contains("in use") && result.stderr.contains(String(port)), "\(result)")
            #expect(result.stderr.hasPrefix("procctl: error:"), "\(result)")
            let running = try sandbox.processes(named: "taken").filter { $0.pid != nil }
            #expect(running.isEmpty, "something runs after the failed start: \(running.map(\.status))")
        }
    }
}
