import Foundation
import ProcdTestSupport
import Testing

/// Cluster mode's balancing, with real Node servers and a Node load client: connections in
/// turn (round-robin), away from a slow instance (least-connections), or the kernel's way
/// (shared); none lost across reloads, restarts and a daemon crash.
@Suite("Cluster balance", .serialized, .timeLimit(.minutes(3)), .enabled(if: Scenario.hasNode))
struct ClusterBalanceTests {
    /// What the load client reported.
    struct Load: Decodable {
        var ok: Int
        var failed: Int
        var hung: Int
        var perPid: [String: Int]
        var connPid: [String: Int]
    }

    /// Instance 0 takes 200 ms an answer; the others answer at once.
    static let slowFirst = """
        const http = require('http');
        const slow = process.env.NODE_APP_INSTANCE === '0';
        http.createServer((req, res) => setTimeout(() => res.end(String(process.pid)), slow ? 200 : 0))
          .listen(Number(process.env.PORT), '127.0.0.1');
        """

    private func load(_ sandbox: Sandbox, port: Int, _ mode: String, clients: Int, requests: Int, seconds: Int = 0) throws -> Load {
        let client = try sandbox.write("client.js", ClusterScripts.client)
        let node = try #require(Scenario.which("node"))
        let result = sandbox.run(node, [client, String(port), mode, String(clients), String(requests), String(seconds)], timeout: .seconds(60))
        return try JSONDecoder().decode(Load.self, from: Data(result.stdout.utf8))
    }

    private func startServer(_ sandbox: Sandbox, port: Int, _ options: [String] = [], script: String = ClusterScripts.server) throws -> Set<Int32> {
        let path = try sandbox.write("server.js", script)
        let started = sandbox.procctl(["start", path, "--name", "api", "-i", "4", "--env", "PORT=\(port)"] + options)
        #expect(started.status == 0, "\(started)")
        return Set(try sandbox.waitForStatus("api", "online", count: 4).compactMap(\.pid))
    }

    @Test func roundRobinGivesEveryInstanceItsTurn() throws {
        try withSandbox { sandbox in
            let port = Network.freePort()
            let pids = try startServer(sandbox, port: port)
            let described = try Scenario.describe(sandbox, "api")
            #expect(sandbox.procctl("describe", "api").stdout.contains("round-robin"))
            #expect((described["app"] as? [String: Any])?["balance"] == nil, "the default is not written into the app")
            let fresh = try load(sandbox, port: port, "new", clients: 8, requests: 100)
            #expect(fresh.ok == 800 && Set(fresh.connPid.keys) == Set(pids.map(String.init)), "\(fresh)")
            #expect(fresh.connPid.values.allSatisfy { (168...232).contains($0) }, "800 new connections: \(fresh.connPid)")
            let kept = try load(sandbox, port: port, "keepalive", clients: 32, requests: 20)
            #expect(kept.ok == 640 && kept.connPid.values.allSatisfy { (6...10).contains($0) }, "32 keep-alive connections: \(kept.connPid)")
        }
    }

    @Test(arguments: ["round-robin", "shared"])
    func everyKeepAliveConnectionIsServed(_ balance: String) throws {
        try withSandbox { sandbox in
            let port = Network.freePort()
            _ = try startServer(sandbox, port: port, ["--balance", balance])
            var hung = 0
            for _ in 0..<20 {
                let burst = try load(sandbox, port: port, "keepalive", clients: 32, requests: 20)
                hung += burst.hung + burst.failed
            }
            #expect(hung == 0, "\(balance): \(hung) requests failed or hung in 20 bursts\n\(sandbox.diagnostics)")
        }
    }

    @Test func leastConnectionsSparesASlowInstance() throws {
        try withSandbox { sandbox in
            let port = Network.freePort()
            _ = try startServer(sandbox, port: port, ["--balance", "least-connections"], script: Self.slowFirst)
            let slow = try #require(try sandbox.processes(named: "api").first { $0.instance == 0 }?.pid)
            let result = try load(sandbox, port: port, "new", clients: 8, requests: 40)
            let share = Double(result.connPid[String(slow)] ?? 0) / Double(max(result.ok, 1))
            #expect(result.ok == 320 && share < 0.15, "the slow instance got \(Int(share * 100)) % of new connections: \(result.connPid)")
            #expect(sandbox.procctl("describe", "api").stdout.contains("least-connections"))
        }
    }

    @Test func reloadsAndRestartsUnderLoadLoseNoRequest() throws {
        try withSandbox { sandbox in
            let port = Network.freePort()
            _ = try startServer(sandbox, port: port)
            let client = try sandbox.write("client.js", ClusterScripts.client)
            let node = try #require(Scenario.which("node"))
            let keep = try sandbox.launch(node, [client, String(port), "keepalive", "16", "0", "4"])
            let fresh = try sandbox.launch(node, [client, String(port), "new", "4", "0", "4"])
            for verb in ["reload", "restart", "reload"] { #expect(sandbox.procctl(verb, "api").status == 0) }
            for launched in [keep, fresh] {
                launched.process.waitUntilExit()
                let result = try JSONDecoder().decode(Load.self, from: Data(sandbox.read(launched.stdout).utf8))
                #expect(result.ok > 0 && result.failed == 0 && result.hung == 0, "\(result)")
            }
        }
    }

    @Test func everyInstanceAnswersAfterTheDaemonDiesInARestartStorm() throws {
        try withSandbox { sandbox in
            let port = Network.freePort()
            _ = try startServer(sandbox, port: port)
            for round in 0..<3 {
                let storm = try sandbox.launch(Binaries.procctl, ["restart", "api"])
                usleep(UInt32(20_000 * (round + 1)))
                sandbox.noteDaemon()
                if let daemon = sandbox.daemonPid { kill(daemon, SIGKILL) }
                storm.process.waitUntilExit()
                #expect(sandbox.waitUntil { sandbox.procctl("ping").status == 0 }, "no daemon came back")
            }
            let online = Set(try sandbox.waitForStatus("api", "online", count: 4, timeout: .seconds(20)).compactMap(\.pid))
            let result = try load(sandbox, port: port, "new", clients: 4, requests: 10)
            #expect(result.failed == 0 && result.hung == 0, "\(result)")
            #expect(Set(result.connPid.keys) == Set(online.map(String.init)), "answered \(result.connPid), online \(online)")
        }
    }

    /// Two servers in each instance (an http one that closes and listens again, and a net
    /// one on `listen(0)`): each keeps its own turn, and the ephemeral port is one for all.
    static let twoServers = """
        const http = require('http'), net = require('net');
        const a = http.createServer((q, r) => r.end(String(process.pid)));
        const b = net.createServer((s) => s.on('data', (d) => s.end(`${process.pid}:${d}`)));
        a.listen(Number(process.env.PORT), '127.0.0.1', () => {
          a.close(() => a.listen(Number(process.env.PORT), '127.0.0.1', () => console.log('again')));
        });
        b.listen(0, '127.0.0.1', () => console.log(`echo ${b.address().port}`));
        """

    @Test func serversThatCloseAndListenAgainOrUseAnEphemeralPortKeepTheirTurn() throws {
        try withSandbox { sandbox in
            let port = Network.freePort()
            let pids = try startServer(sandbox, port: port, script: Self.twoServers)
            #expect(sandbox.waitUntil { sandbox.outLog("api").components(separatedBy: "again").count == 5 }, "\(sandbox.outLog("api"))")
            let echoPorts = Set(sandbox.outLog("api").split(separator: "\n").filter { $0.hasPrefix("echo ") }.map { $0.dropFirst(5) })
            #expect(echoPorts.count == 1, "listen(0) gave \(echoPorts)")
            let fresh = try load(sandbox, port: port, "new", clients: 4, requests: 10)
            #expect(fresh.ok == 40 && Set(fresh.connPid.keys) == Set(pids.map(String.init)), "\(fresh)")
            let echo = try #require(echoPorts.first.flatMap { Int($0) })
            var answered = Set<Int32>()
            for _ in 0..<8 {
                if let reply = Network.tcpRoundTrip(port: echo, "hi"), let pid = Int32(reply.prefix { $0 != ":" }) { answered.insert(pid) }
            }
            #expect(answered == pids, "echo answered by \(answered), instances \(pids)")
        }
    }

    @Test func anInstanceThatNeverListensSaysSo() throws {
        try withSandbox { sandbox in
            let path = try sandbox.write("worker.js", "setInterval(() => {}, 1000);\n")
            let started = sandbox.procctl("start", path, "--name", "worker", "-i", "2", "--listen-timeout", "300")
            #expect(started.status == 0, "\(started)")
            #expect(started.stdout.contains("never called listen()"), "\(started)")
            try sandbox.waitForStatus("worker", "online", count: 2)
            #expect(sandbox.procctl("describe", "worker").stdout.contains("never called listen()"))
        }
    }

    @Test func aBalanceThatDoesNotExistIsAUsageError() throws {
        try withSandbox { sandbox in
            let result = sandbox.procctl("start", "/bin/sleep", "--balance", "random", "--", "5")
            #expect(result.status == 2 && result.stderr.contains("round-robin, least-connections or shared"), "\(result)")
            let file = try sandbox.write("ecosystem.json", #"{"apps":[{"name":"a","script":"/bin/sleep","args":"5","balance":"random"}]}"#)
            let fromFile = sandbox.procctl("start", file)
            #expect(fromFile.status != 0 && fromFile.stderr.contains("balance"), "\(fromFile)")
        }
    }
}
