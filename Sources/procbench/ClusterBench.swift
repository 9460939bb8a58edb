import Foundation
import ProcdCore
import ProcdPlatform
import ProcdTestSupport

/// `procbench cluster`: one unchanged Node server, N instances, run by Node's own cluster
/// module (SCHED_RR, the reference) and by procd with each `balance`, side by side in one
/// run: how evenly connections spread, throughput, the daemon's CPU per connection, and
/// failed requests across reloads under load.
struct ClusterBench {
    static let usage = """
        usage: procbench cluster [--reps N] [--instances N] [--seconds S]

          --reps N       repetitions, setups interleaved (default 3)
          --instances N  instances of the server (default 4)
          --seconds S    length of each throughput and reload run (default 3)

        """

    enum Setup: String, CaseIterable {
        case node = "node rr"
        case roundRobin = "round-robin"
        case leastConnections = "least-conn"
        case shared = "shared"

        var balance: String? {
            switch self {
            case .node: nil
            case .roundRobin: "round-robin"
            case .leastConnections: "least-connections"
            case .shared: "shared"
            }
        }
    }

    enum Figure: String, CaseIterable {
        case newMin = "new conns: smallest share %"
        case newMax = "new conns: largest share %"
        case keepMin = "keep-alive: fewest of 32"
        case keepMax = "keep-alive: most of 32"
        case keepRate = "keep-alive req/s"
        case newRate = "new-connection req/s"
        case daemonCPU = "daemon CPU ms / 10k conns"
        case reloadFailed = "reload under load: failed"
        case reloadHung = "reload under load: hung"
    }

    var reps = 3
    var instances = 4
    var seconds = 3
    let binaries: Binaries
    let node: String

    init(_ arguments: [String], binaries: Binaries) throws {
        self.binaries = binaries
        guard let node = Self.onPath("node") else { throw BenchError("node is not on PATH; the cluster figures need Node.js") }
        self.node = node
        var i = 0
        while i < arguments.count {
            guard i + 1 < arguments.count, let value = Int(arguments[i + 1]), value >= 1 else {
                throw BenchError("\(arguments[i]) needs a whole number ≥ 1\n" + Self.usage)
            }
            switch arguments[i] {
            case "--reps": reps = value
            case "--instances": instances = value
            case "--seconds": seconds = value
            default: throw BenchError("unknown option '\(arguments[i])'\n" + Self.usage)
            }
            i += 2
        }
    }

    func run() throws -> Int32 {
        Sweeper.shared.install()
        defer { Sweeper.shared.sweep() }
        let scratch = try TemporaryDirectory.make("pbc")
        let server = scratch + "/server.js"
        try File.writeAtomically(server, ClusterScripts.server)
        try File.writeAtomically(scratch + "/cluster.js", ClusterScripts.nodeCluster)
        try File.writeAtomically(scratch + "/client.js", ClusterScripts.client)
        var figures: [Setup: [Figure: Samples]] = [:]
        let setups = Setup.allCases
        for rep in 0..<reps {
            let shift = rep % setups.count
            for setup in setups[shift...] + setups[..<shift] {
                Environment.write("procbench: repetition \(rep + 1)/\(reps): \(setup.rawValue)\n", to: 2)
                let measured = try measure(setup, scratch: scratch, server: server, home: scratch + "/h\(rep)-\(setups.firstIndex(of: setup) ?? 0)")
                for (figure, value) in measured { figures[setup, default: [:]][figure, default: Samples()].add(value) }
            }
        }
        print(report(figures), terminator: "")
        return 0
    }

    // MARK: One setup

    private func measure(_ setup: Setup, scratch: String, server: String, home: String) throws -> [Figure: Double] {
        let port = try Self.freePort()
        let running = try launch(setup, scratch: scratch, server: server, home: home, port: port)
        defer { running.stop() }
        var out: [Figure: Double] = [:]
        let new = try client(scratch, port, "new", clients: 8, requests: 100)
        let shares = Self.counts(new["connPid"], instances).map { 100 * $0 / 800 }
        (out[.newMin], out[.newMax]) = (shares.min() ?? 0, shares.max() ?? 0)
        let keep = try client(scratch, port, "keepalive", clients: 32, requests: 20)
        let spread = Self.counts(keep["connPid"], instances)
        (out[.keepMin], out[.keepMax]) = (spread.min() ?? 0, spread.max() ?? 0)
        out[.keepRate] = Double(try client(scratch, port, "keepalive", clients: 32, requests: 0, seconds: seconds)["ok"]?.intValue ?? 0) / Double(seconds)
        let cpuBefore = running.daemon.map(DaemonProbe.cpuNanoseconds) ?? 0
        let served = try client(scratch, port, "new", clients: 8, requests: 0, seconds: seconds)["ok"]?.intValue ?? 0
        out[.newRate] = Double(served) / Double(seconds)
        if let daemon = running.daemon, served > 0 {
            out[.daemonCPU] = (DaemonProbe.cpuNanoseconds(daemon) - cpuBefore) / 1e6 / Double(served) * 10_000
        }
        if setup != .node {
            let (failed, hung) = try reloadUnderLoad(scratch, port: port, home: home)
            (out[.reloadFailed], out[.reloadHung]) = (Double(failed), Double(hung))
        }
        return out
    }

    private struct Running {
        var stop: () -> Void
        var daemon: Int32?
    }

    private func launch(_ setup: Setup, scratch: String, server: String, home: String, port: Int) throws -> Running {
        let env = ["PORT": String(port), "WORKERS": String(instances), "SERVER": server, "NODE_CLUSTER_SCHED_POLICY": "rr"]
        let running: Running
        if let balance = setup.balance {
            let procdEnv = ["PROCD_HOME": home]
            try Command.check([binaries.procctl, "start", server, "--name", "api", "-i", String(instances),
                               "--balance", balance, "--env", "PORT=\(port)"], env: procdEnv)
            let pid = readText(home + "/procd.pid").flatMap { Int32(trimmed($0)) }
            let procctl = binaries.procctl
            running = Running(stop: { _ = try? Command.run([procctl, "kill"], env: procdEnv) }, daemon: pid)
        } else {
            let pid = try Command.spawn([node, scratch + "/cluster.js"], env: env)
            running = Running(stop: {
                kill(pid, SIGTERM)
                Command.wait(pid)
            }, daemon: pid)
        }
        // Every instance answers before anything is measured.
        var seen = Set<String>()
        let ready = waitUntil(timeout: 20, interval: .milliseconds(20)) {
            let answer = (try? client(scratch, port, "new", clients: 1, requests: instances))?["perPid"]?.objectValue ?? [:]
            seen.formUnion(answer.keys)
            return seen.count >= instances || (setup == .shared && seen.count >= 1)
        }
        guard ready else {
            running.stop()
            throw BenchError("\(setup.rawValue): \(instances) instances never all answered on port \(port)")
        }
        return running
    }

    /// Keep-alive and per-request load while the app is reloaded twice.
    private func reloadUnderLoad(_ scratch: String, port: Int, home: String) throws -> (failed: Int, hung: Int) {
        let keep = try Background([node, scratch + "/client.js", String(port), "keepalive", "16", "0", String(seconds)])
        let new = try Background([node, scratch + "/client.js", String(port), "new", "4", "0", String(seconds)])
        Clock.sleep(.milliseconds(300))
        for _ in 0..<2 { try Command.check([binaries.procctl, "reload", "api"], env: ["PROCD_HOME": home]) }
        var failed = 0, hung = 0
        for load in [keep, new] {
            let result = load.finish()
            failed += result["failed"]?.intValue ?? 1
            hung += result["hung"]?.intValue ?? 0
        }
        return (failed, hung)
    }

    /// Runs the load client to its end and reads its JSON.
    private func client(_ scratch: String, _ port: Int, _ mode: String, clients: Int, requests: Int, seconds: Int = 0) throws -> JSON {
        let outcome = try Command.check([node, scratch + "/client.js", String(port), mode, String(clients), String(requests), String(seconds)])
        return (try? JSONParser.parse(outcome.output)) ?? .null
    }

    /// A load client running while something else happens.
    private final class Background {
        let pid: Int32
        let output: OwnedFD

        init(_ argv: [String]) throws {
            let pipe = try ProcdPlatform.Pipe()
            pid = try Command.spawn(argv, descriptors: [-1, pipe.writeEnd.raw, -1])
            pipe.writeEnd.close()
            output = pipe.readEnd
        }

        func finish() -> JSON {
            let bytes = (try? output.readToEnd(limit: 1 << 20)) ?? []
            output.close()
            Command.wait(pid)
            return (try? JSONParser.parse(bytes: bytes)) ?? .null
        }
    }

    // MARK: Helpers

    /// Counts per instance from a `{pid: count}` object, padded with zeros to `instances`.
    static func counts(_ object: JSON?, _ instances: Int) -> [Double] {
        var values = (object?.objectValue ?? [:]).entries.compactMap { $0.value.intValue.map(Double.init) }
        while values.count < instances { values.append(0) }
        return values
    }

    static func onPath(_ program: String) -> String? {
        for directory in (Environment.get("PATH") ?? "/usr/bin:/bin").split(separator: ":") {
            let path = "\(directory)/\(program)"
            if File.isExecutable(path) { return path }
        }
        return nil
    }

    static func freePort() throws -> Int {
        let socket = try Sockets.listenTCP(host: "127.0.0.1", port: 0)
        defer { socket.close() }
        guard let port = Sockets.port(of: socket) else { throw BenchError("no free port on 127.0.0.1") }
        return port
    }
}
