import Foundation
import Testing

/// Cluster mode with no code change: ordinary Node servers that call listen() themselves,
/// started with -i N, share one socket the daemon holds.
@Suite("Node cluster mode", .serialized, .timeLimit(.minutes(1)), .enabled(if: Scenario.hasNode))
struct NodeClusterTests {
    /// `http.createServer(...).listen(PORT)`: answers "pid=N port=P".
    static let plainServer = """
        const http = require('http');
        let bound = 0;
        const server = http.createServer((req, res) => res.end(`pid=${process.pid} port=${bound}\\n`));
        server.listen(Number(process.env.PORT), () => { bound = server.address().port; console.log(`listening ${bound}`); });
        """

    /// An express-style app object: `app.listen(port, host, callback)`.
    static let expressStyle = """
        const http = require('http');
        const app = (req, res) => res.end(`pid=${process.pid}\\n`);
        app.listen = function (...args) { const server = http.createServer(app); return server.listen(...args); };
        app.listen(Number(process.env.PORT), '127.0.0.1', () => console.log('express-style up'));
        """

    /// A raw TCP echo server on `net`, and `listen(0)` reporting its port.
    static let echoServer = """
        const net = require('net');
        const server = net.createServer((socket) => socket.on('data', (d) => socket.end(`${process.pid}:${d}`)));
        server.listen(Number(process.env.PORT || 0), 'localhost', () => console.log(`port=${server.address().port}`));
        """

    private func distinctAnswerers(_ port: Int, expecting count: Int) -> Set<Int32> {
        var seen = Set<Int32>()
        for _ in 0..<400 where seen.count < count {
            if let pid = ClusterApps.pid(inReply: Network.httpGet(port: port)) { seen.insert(pid) }
        }
        return seen
    }

    @Test(arguments: ["2", "max"])
    func aPlainHttpServerSharesItsPort(_ instances: String) throws {
        try withSandbox { sandbox in
            let port = Network.freePort()
            let script = try sandbox.write("server.js", Self.plainServer)
            let started = sandbox.procctl("start", script, "-i", instances, "--env", "PORT=\(port)")
            #expect(started.status == 0, "\(started)")
            let count = instances == "max" ? ProcessInfo.processInfo.activeProcessorCount : 2
            let online = try sandbox.waitForStatus("server", "online", count: count)
            let pids = Set(online.compactMap(\.pid))
            #expect(sandbox.waitUntil { sandbox.outLog("server").components(separatedBy: "listening \(port)").count - 1 >= count },
                    "not every instance listened:\n\(sandbox.outLog("server"))\n\(sandbox.errLog("server"))")
            #expect(distinctAnswerers(port, expecting: count) == pids, "not every instance answers on the one port")
            let later = try sandbox.processes(named: "server")
            #expect(later.allSatisfy { $0.restarts == 0 && $0.status == "online" }, "\(later.map { "\($0.status) \($0.restarts)" })")
            #expect(!sandbox.errLog("server").contains("EADDRINUSE"), "\(sandbox.errLog("server"))")
            let described = try Scenario.describe(sandbox, "server")
            #expect((described["app"] as? [String: Any])?["exec_mode"] as? String == "cluster")
        }
    }

    @Test func execModeClusterInAnEcosystemFileSharesThePort() throws {
        try withSandbox { sandbox in
            let port = Network.freePort()
            _ = try sandbox.write("server.js", Self.plainServer)
            let file = try sandbox.write("ecosystem.config.js", """
                module.exports = { apps: [{ name: 'api', script: './server.js', instances: 2, exec_mode: 'cluster', env: { PORT: '\(port)' } }] };
                """)
            let dry = sandbox.procctl("start", file, "--dry-run")
            #expect(dry.stdout.contains("exec_mode cluster"), "\(dry)")
            #expect(!dry.stderr.contains("exec_mode"), "exec_mode was warned about: \(dry.stderr)")
            #expect(sandbox.procctl("start", file).status == 0)
            let pids = Set(try sandbox.waitForStatus("api", "online", count: 2).compactMap(\.pid))
            #expect(sandbox.waitUntil { sandbox.outLog("api").components(separatedBy: "listening \(port)").count == 3 },
                    "\(sandbox.outLog("api"))\(sandbox.errLog("api"))")
            #expect(distinctAnswerers(port, expecting: 2) == pids)
        }
    }

    @Test func anExpressStyleListenWithHostAndCallbackWorks() throws {
        try withSandbox { sandbox in
            let port = Network.freePort()
            let script = try sandbox.write("app.js", Self.expressStyle)
            #expect(sandbox.procctl("start", script, "-i", "2", "--env", "PORT=\(port)").status == 0)
            let pids = Set(try sandbox.waitForStatus("app", "online", count: 2).compactMap(\.pid))
            #expect(sandbox.waitUntil { sandbox.outLog("app").components(separatedBy: "express-style up").count == 3 })
            #expect(distinctAnswerers(port, expecting: 2) == pids)
        }
    }

    @Test func aRawTcpServerOnListenZeroGetsOnePortForEveryInstance() throws {
        try withSandbox { sandbox in
            let script = try sandbox.write("echo.js", Self.echoServer)
            #expect(sandbox.procctl("start", script, "-i", "3").status == 0)
            try sandbox.waitForStatus("echo", "online", count: 3)
            var ports: [String] = []
            #expect(sandbox.waitUntil {
                ports = sandbox.outLog("echo").split(separator: "\n").filter { $0.hasPrefix("port=") }.map(String.init)
                return ports.count == 3
            }, "\(sandbox.outLog("echo"))\(sandbox.errLog("echo"))")
            #expect(Set(ports).count == 1, "listen(0) gave different ports: \(ports)")
            let port = try #require(ports.first.flatMap { Int($0.dropFirst(5)) })
            #expect(port > 0)
            #expect(Network.tcpRoundTrip(port: port, "hello")?.hasSuffix(":hello") == true)
        }
    }

    @Test func reloadUnderLoadFailsNoRequest() throws {
        try withSandbox { sandbox in
            let port = Network.freePort()
            let script = try sandbox.write("server.js", Self.plainServer)
            #expect(sandbox.procctl("start", script, "--name", "api", "-i", "2", "--env", "PORT=\(port)").status == 0)
            let before = Set(try sandbox.waitForStatus("api", "online", count: 2).compactMap(\.pid))
            #expect(sandbox.waitUntil { Network.httpGet(port: port) != nil })
            let hammer = Hammer(port: port)
            hammer.start(threads: 4)
            defer { hammer.stop() }
            #expect(sandbox.waitUntil(timeout: .seconds(5)) { hammer.snapshot.ok >= 20 }, "no load before the reload")
            for _ in 0..<2 { #expect(sandbox.procctl("reload", "api").status == 0) }
            let after = Set(try sandbox.waitForStatus("api", "online", count: 2).compactMap(\.pid))
            #expect(after.isDisjoint(with: before))
            let servedByNew = sandbox.waitUntil(timeout: .seconds(5)) { after.isSubset(of: Set(hammer.snapshot.pids.suffix(200))) }
            let tally = hammer.stop()
            #expect(servedByNew, "the new processes did not both answer")
            #expect(tally.failures.isEmpty, "\(tally.failures.count) of \(tally.ok + tally.failures.count) failed: \(tally.failures.prefix(3))")
            #expect(tally.ok >= 40)
        }
    }

    @Test func forkModeInstancesThatCollideSayWhy() throws {
        try withSandbox { sandbox in
            let port = Network.freePort()
            let script = try sandbox.write("server.js", Self.plainServer)
            #expect(sandbox.procctl("start", script, "-i", "2", "--exec-mode", "fork", "--max-restarts", "2",
                                    "--env", "PORT=\(port)").status == 0)
            var reason = ""
            #expect(sandbox.waitUntil(timeout: .seconds(15)) {
                reason = ((try? sandbox.processes(named: "server")) ?? []).first { $0.status == "errored" }?.reason ?? ""
                return !reason.isEmpty
            }, "no instance ended errored")
            #expect(reason.contains("address is already in use") && reason.contains("cluster"), "\(reason)")
        }
    }
}
