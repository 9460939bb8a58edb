import Foundation
import Synchronization
import Testing

/// Seeded random storms of lifecycle operations against a live daemon running a Node
/// cluster app, with `list` and `events` clients busy the whole time. After every step the
/// daemon is the same process, the table matches /proc, and every online instance answers.
///
/// `PROCD_CHAOS_SEED` and `PROCD_CHAOS_STEPS` run a longer storm (README › Development).
@Suite("Cluster chaos", .serialized, .timeLimit(.minutes(10)), .enabled(if: Scenario.hasNode))
struct ClusterChaosTests {
    static let server = """
        const http = require('http');
        http.createServer((req, res) => res.end(`pid=${process.pid}\\n`)).listen(Number(process.env.PORT), '127.0.0.1');
        """

    /// Listens, then dies a moment later: a crash-looping cluster instance beside the storm.
    static let flaky = """
        const http = require('http');
        http.createServer((req, res) => res.end('flaky\\n')).listen(Number(process.env.PORT), '127.0.0.1');
        setTimeout(() => process.exit(3), 150 + Math.floor(Math.random() * 300));
        """

    enum Operation: CaseIterable {
        case restart, reload, scale, killInstance, signal, clash, restartOne, reloadAll
    }

    /// A small, fast, seeded generator (SplitMix64), so a failing storm can be replayed.
    struct Seeded {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
    }

    @Test func aSeededStormNeverTakesTheDaemonDown() throws {
        let environment = ProcessInfo.processInfo.environment
        let seed = environment["PROCD_CHAOS_SEED"].flatMap(UInt64.init) ?? 20_261_205
        let steps = environment["PROCD_CHAOS_STEPS"].flatMap(Int.init) ?? 24
        try withSandbox { sandbox in
            var random = Seeded(state: seed)
            let port = Network.freePort()
            let flakyPort = Network.freePort()
            let script = try sandbox.write("api.js", Self.server)
            let flaky = try sandbox.write("flaky.js", Self.flaky)
            #expect(sandbox.procctl("start", script, "--name", "api", "-i", "4", "--env", "PORT=\(port)").status == 0)
            #expect(sandbox.procctl("start", flaky, "--name", "flaky", "-i", "2", "--max-restarts", "100000",
                                    "--min-uptime", "10", "--env", "PORT=\(flakyPort)").status == 0)
            var instances = 4
            try sandbox.waitForStatus("api", "online", count: instances, timeout: .seconds(20))
            sandbox.noteDaemon()
            let daemon = try #require(sandbox.daemonPid)
            let events = try sandbox.launch(Binaries.procctl, ["events", "--json"])
            defer { sandbox.end(events.process) }
            let lister = Lister(socket: sandbox.socketPath)
            lister.start()
            defer { lister.stop() }
            var done: [String] = []
            for step in 0..<steps {
                let operation = Operation.allCases[random.below(Operation.allCases.count)]
                let note = "seed \(seed) step \(step): \(operation)"
                switch operation {
                case .restart:
                    _ = sandbox.procctl("restart", "api")
                case .reload:
                    _ = sandbox.procctl("reload", "api")
                case .reloadAll:
                    _ = sandbox.procctl("reload", "all")
                case .restartOne:
                    let ids = try sandbox.processes(named: "api").map(\.id)
                    if let id = ids.randomElement(using: &random) { _ = sandbox.procctl("restart", String(id)) }
                case .scale:
                    instances = 2 + random.below(4)
                    _ = sandbox.procctl("scale", "api", String(instances))
                case .killInstance:
                    if let pid = try sandbox.processes(named: "api").compactMap(\.pid).randomElement(using: &random) { kill(pid, SIGKILL) }
                case .signal:
                    _ = sandbox.procctl("signal", "SIGUSR2", "api")
                case .clash:
                    // Another cluster app on api's port: refused with a reason, deleted again.
                    let clash = sandbox.procctl("start", script, "--name", "clash", "-i", "2", "--max-restarts", "1", "--env", "PORT=\(port)")
                    #expect(clash.status == 1 && clash.stderr.contains("another program or app holds the port"), "\(note): \(clash)")
                    #expect(sandbox.procctl("delete", "clash").status == 0)
                }
                done.append(note)
                sandbox.noteDaemon()
                #expect(sandbox.daemonPid == daemon && ProcessProbe.isAlive(daemon), "the daemon changed at \(note)\n\(sandbox.diagnostics)")
                try expectSettled(sandbox, instances: instances, port: port, note: note)
            }
            let (requests, failures) = lister.stop()
            #expect(requests > 0 && failures == 0, "list requests during the storm: \(requests), failed \(failures)")
            #expect(ProcessProbe.isAlive(daemon))
            #expect(!sandbox.daemonLog.contains("Fatal error"), "\(sandbox.diagnostics)")
            #expect(events.process.isRunning, "the events client lost the daemon")
        }
    }

    /// The app has `instances` online processes, matching the app processes in /proc, and
    /// new connections reach every one of them.
    private func expectSettled(_ sandbox: Sandbox, instances: Int, port: Int, note: String) throws {
        var listed: [ListedProcess] = []
        let settled = try sandbox.waitUntil(timeout: .seconds(20)) {
            listed = try sandbox.processes(named: "api")
            // A pid just killed may be listed until the daemon hears of its exit.
            return listed.count == instances && listed.allSatisfy { $0.status == "online" && $0.pid.map(ProcessProbe.isAlive) == true }
        }
        #expect(settled, "not settled after \(note): \(listed.map { "\($0.id) \($0.status)" })\n\(sandbox.diagnostics)")
        guard settled else { return }
        let pids = Set(listed.compactMap(\.pid))
        // Retired instances finish their stop; then /proc holds exactly the table's processes.
        let apiPids = { ProcessProbe.markedPids(home: sandbox.home).filter { ProcessProbe.appName($0) == "api" } }
        #expect(sandbox.waitUntil(timeout: .seconds(10)) { apiPids() == pids },
                "/proc has \(apiPids().sorted()), the table \(pids.sorted()) after \(note)")
        var answered = Set<Int32>()
        for _ in 0..<(instances * 6) where answered != pids {
            if let pid = ClusterApps.pid(inReply: Network.httpGet(port: port)) { answered.insert(pid) }
        }
        #expect(answered == pids, "answered \(answered.sorted()), online \(pids.sorted()) after \(note)")
    }
}

/// A control client that asks for `list` over and over on the daemon's socket, counting
/// requests and failed answers, until stopped.
final class Lister: @unchecked Sendable {
    private let socket: String
    private let counts = Mutex((requests: 0, failures: 0))
    private let stopFlag = Atomic<Bool>(false)
    private let group = DispatchGroup()

    init(socket: String) { self.socket = socket }

    func start() {
        DispatchQueue.global().async(group: group) { [self] in
            var fd = Network.connectUnix(socket)
            var id = 0
            while !stopFlag.load(ordering: .relaxed) {
                guard let connection = fd else {
                    fd = Network.connectUnix(socket)
                    usleep(20_000)
                    continue
                }
                id += 1
                let ok = Network.send(connection, "{\"id\":\(id),\"cmd\":\"list\",\"args\":{}}\n")
                    && Network.readLine(connection)?.contains("\"ok\":true") == true
                counts.withLock {
                    $0.requests += 1
                    if !ok { $0.failures += 1 }
                }
                if !ok {
                    close(connection)
                    fd = nil
                }
                usleep(5_000)
            }
            if let fd { close(fd) }
        }
    }

    @discardableResult
    func stop() -> (requests: Int, failures: Int) {
        stopFlag.store(true, ordering: .relaxed)
        _ = group.wait(timeout: .now() + 10)
        return counts.withLock { $0 }
    }
}

extension ProcessProbe {
    /// PROCD_APP_NAME in the process's environment.
    static func appName(_ pid: Int32) -> String? {
        guard let environ = FileManager.default.contents(atPath: "/proc/\(pid)/environ") else { return nil }
        for variable in String(decoding: environ, as: UTF8.self).split(separator: "\0") where variable.hasPrefix("PROCD_APP_NAME=") {
            return String(variable.dropFirst("PROCD_APP_NAME=".count))
        }
        return nil
    }
}

extension Array {
    func randomElement(using random: inout ClusterChaosTests.Seeded) -> Element? {
        isEmpty ? nil : self[random.below(count)]
    }
}
