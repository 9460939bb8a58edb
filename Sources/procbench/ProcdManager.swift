import Foundation
import ProcdCore
import ProcdPlatform
import ProcdWire

/// procd, driven through `procctl` as a user would; progress is polled over the control
/// socket directly (a `list` request), so polling costs no process start.
final class ProcdManager: Manager {
    let name = "procd"
    let capturesLogs = true
    private let binaries: Binaries
    private let home: String
    private(set) var daemonPid: Int32?

    init(binaries: Binaries, home: String) {
        self.binaries = binaries
        self.home = home
    }

    private var environment: [String: String] { ["PROCD_HOME": home] }

    /// The keeper above the daemon (`keeper.pid`).
    var keeperPid: Int32? { readText(home + "/keeper.pid").flatMap { Int32(trimmed($0)) } }

    func launch() throws {
        try procctl(["ping"])
        guard let text = readText(home + "/procd.pid"),
              let pid = Int32(trimmed(text)) else {
            throw BenchError("procd started but \(home)/procd.pid holds no pid")
        }
        daemonPid = pid
        let procctl = binaries.procctl
        let env = environment
        Sweeper.shared.onSweep {
            // `procctl kill` stops every app, then the daemon; only for a daemon still alive,
            // since procctl would start a new one. The sweep ends whatever is left.
            guard Processes.exists(pid) else { return }
            if let pid = try? Command.spawn([procctl, "kill"], env: env) {
                _ = waitUntil(timeout: 10, interval: .milliseconds(5)) { Command.hasEnded(pid) }
            }
        }
    }

    func start(_ app: String, _ workload: Workload) throws {
        if case .apps(let count) = workload {
            let file = File.parent(of: home) + "/\(app).config.json"
            let apps = (0..<count).map { i -> JSON in
                .object(["name": .string("\(app)-\(i)"), "script": .string(binaries.fixture),
                         "args": .array(workload.arguments.map { .string($0) })])
            }
            try File.writeAtomically(file, JSON.object(["apps": .array(apps)]).serialized() + "\n")
            try procctl(["start", file])
            return
        }
        var argv = ["start", binaries.fixture, "--name", app, "--instances", String(workload.count)]
        if !workload.restarts { argv.append("--no-autorestart") }
        try procctl(argv + ["--"] + workload.arguments)
    }

    func onlineCount(_ app: String) throws -> Int {
        try processes().filter { p in
            let name = p["name"]?.stringValue ?? ""
            return (name == app || name.hasPrefix(app + "-")) && p["status"]?.stringValue == "online"
        }.count
    }

    func listRoundTrip() throws -> Double {
        let outcome = try Command.timed([binaries.procctl, "list"], env: environment)
        guard outcome.status == 0 else { throw BenchError("procctl list exited with \(outcome.status)") }
        return outcome.elapsed
    }

    func stopAll() throws {
        try procctl(["stop", "all"])
        // /proc first (free for the daemon), then the daemon's own word, every 5 ms.
        if let pid = daemonPid { _ = waitUntil(timeout: 60, interval: .microseconds(500)) { DaemonProbe.liveChildren(pid) == 0 } }
        let settled = try waitUntil(timeout: 60, interval: .milliseconds(5)) {
            try processes().allSatisfy { ["stopped", "errored"].contains($0["status"]?.stringValue ?? "") }
        }
        if !settled { throw BenchError("procd: processes still running 60 s after 'procctl stop all'") }
    }

    func removeAll() throws {
        if try processes().isEmpty { return }
        try procctl(["delete", "all"])
    }

    func logPath(_ app: String) -> String? { home + "/logs/\(app)-out.log" }

    func shutdown() {
        guard let pid = daemonPid else { return }
        _ = try? procctl(["kill"])
        if !waitUntil(timeout: 5, { !Processes.exists(pid) || ProcFS.stat(pid)?.state == "Z" }) {
            _ = try? Processes.signal(pid, SIGKILL)
        }
        _ = Processes.reapAll()
        daemonPid = nil
    }

    /// `list` requests answered per second to `clients` concurrent connections, each
    /// sending its next request as soon as the last reply arrived (what `procctl list`
    /// asks: the compact table).
    func listThroughput(clients: Int, seconds: Double, compact: Bool = true) throws -> Double {
        let socket = home + "/procd.sock"
        let tally = Tally()
        let until = Clock.now() + .milliseconds(Int64(seconds * 1000))
        let threads = (0..<clients).map { _ in
            Thread {
                let count = (try? WireClient.repeatList(socket: socket, until: until, compact: compact)) ?? -1
                tally.add(count)
            }
        }
        let started = Clock.now()
        for thread in threads { thread.start() }
        guard waitUntil(timeout: seconds + 30, interval: .milliseconds(5), { tally.finished == clients }) else {
            throw BenchError("list RPC clients did not finish")
        }
        let elapsed = Double((Clock.now() - started).nanoseconds) / 1e9
        guard tally.failed == 0 else { throw BenchError("\(tally.failed) list RPC client(s) failed") }
        return Double(tally.total) / elapsed
    }

    /// Every process in the daemon's table, from one `list` request.
    func processes() throws -> [JSON] {
        let reply = try WireClient.call(socket: home + "/procd.sock", command: "list")
        guard let items = reply.arrayValue else { throw BenchError("procd: 'list' did not return an array") }
        return items
    }

    @discardableResult
    private func procctl(_ arguments: [String]) throws -> Command.Outcome {
        try Command.check([binaries.procctl] + arguments, env: environment)
    }
}

/// Counts of the list RPC clients. Safe to share: every access holds the lock.
final class Tally: @unchecked Sendable {
    private let lock = NSLock()
    private var counts: [Int] = []

    func add(_ count: Int) { lock.withLock { counts.append(count) } }
    var finished: Int { lock.withLock { counts.count } }
    var failed: Int { lock.withLock { counts.filter { $0 < 0 }.count } }
    var total: Int { lock.withLock { counts.filter { $0 > 0 }.reduce(0, +) } }
}

/// A one-request client of procd's control socket (newline-delimited JSON).
enum WireClient {
    /// Sends compact `list` requests one after another on one connection until `until`;
    /// how many were answered.
    static func repeatList(socket: String, until: Tick, compact: Bool = true) throws -> Int {
        let fd = try UnixSocket.connect(path: socket)
        defer { fd.close() }
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        var answered = 0
        var id = 1
        while Clock.now() < until {
            try fd.writeAll(Request(id: id, command: "list", args: .object(compact ? ["compact": .bool(true)] : [:])).json.serialized() + "\n")
            id += 1
            var done = false
            while !done {
                let result: IOResult = try buffer.withUnsafeMutableBytes { try fd.read(into: $0) }
                guard case .bytes(let n) = result else { throw BenchError("procd closed the socket") }
                done = buffer[0..<n].contains(UInt8(ascii: "\n"))
            }
            answered += 1
        }
        return answered
    }

    static func call(socket: String, command: String) throws -> JSON {
        let fd = try UnixSocket.connect(path: socket)
        defer { fd.close() }
        try fd.writeAll(Request(id: 1, command: command).json.serialized() + "\n")
        var framer = LineFramer(limit: 256 << 20)
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let result: IOResult = try buffer.withUnsafeMutableBytes { try fd.read(into: $0) }
            guard case .bytes(let n) = result else { throw BenchError("procd closed the socket before answering '\(command)'") }
            for item in framer.append(buffer[0..<n]) {
                guard case .line(let line) = item, let reply = Reply.decode(line) else { continue }
                switch reply {
                case .success(_, let result): return result
                case .failure(_, let error): throw BenchError("procd: \(command): \(error.message)")
                case .event: continue
                }
            }
        }
    }
}
