import Foundation
import ProcdPlatform

/// The figures of one manager in one repetition, recorded into `Results`.
///
/// Each figure starts from an empty manager and leaves it empty; a figure that fails is
/// recorded as an error and the next one still runs.
struct Measurements {
    let options: Options
    let binaries: Binaries

    /// The apps every manager runs, with their files in `scratch` (supervisord needs them
    /// all declared in its config before it starts).
    static func apps(_ options: Options, scratch: String) -> [String: Workload] {
        [
            "one": .sleepers(count: 1),
            "many": .sleepers(count: options.many),
            "stamp": .stamp(path: scratch + "/stamp"),
            "flood": .flood(bytes: options.floodBytes, stamp: scratch + "/flood-stamp"),
        ]
    }

    /// Launches `manager`, takes every figure it supports, and shuts it down.
    func run(_ manager: Manager, as column: Column, scratch: String, into results: inout Results) {
        defer { manager.shutdown() }
        do {
            try manager.launch()
        } catch {
            results.fail(column, Set(Metric.allCases), "\(manager.name): launch failed: \(error)")
            return
        }
        guard let pid = manager.daemonPid else { return }
        settle()
        if let rss = DaemonProbe.residentMiB(pid) { results.add(.rssZero, column, rss) }
        let work: [(Set<Metric>, (inout Results) throws -> Void)] = [
            ([.listOne], { try listOne(manager, column, &$0) }),
            ([.startMany, .rssMany, .listMany, .idleCPU, .idleWakeups, .stopMany], { try many(manager, column, pid, &$0) }),
            ([.respawn], { try respawn(manager, column, pid, scratch + "/stamp", &$0) }),
            ([.floodCapture, .floodLost], { try flood(manager, column, scratch + "/flood-stamp", &$0) }),
            ([.startScale, .rssScale, .listScale, .stopScale], { try scale(manager, column, pid, &$0) }),
        ]
        for (metrics, body) in work {
            do {
                try body(&results)
            } catch {
                results.fail(column, metrics, "\(manager.name): \(error)")
                try? manager.stopAll()
                try? manager.removeAll()
            }
        }
    }

    private func listOne(_ manager: Manager, _ column: Column, _ results: inout Results) throws {
        guard column != .floor else { return }
        try manager.start("one", .sleepers(count: 1))
        try waitOnline(manager, "one", 1)
        for _ in 0..<options.listSamples { results.add(.listOne, column, try manager.listRoundTrip()) }
        try manager.stopAll()
        try manager.removeAll()
    }

    private func many(_ manager: Manager, _ column: Column, _ pid: Int32, _ results: inout Results) throws {
        let start = Clock.now()
        try manager.start("many", .sleepers(count: options.many))
        try waitOnline(manager, "many", options.many)
        results.add(.startMany, column, milliseconds(since: start))
        settle()
        if let rss = DaemonProbe.residentMiB(pid) { results.add(.rssMany, column, rss) }
        if let keeper = (manager as? ProcdManager)?.keeperPid {
            if let rss = DaemonProbe.residentMiB(keeper) { results.add(.keeperRSS, column, rss) }
            if let own = DaemonProbe.privateMiB(keeper) { results.add(.keeperPrivate, column, own) }
        }
        if column != .floor {
            for _ in 0..<options.listSamples { results.add(.listMany, column, try manager.listRoundTrip()) }
        }
        if let procd = manager as? ProcdManager {
            results.add(.listRPC, column, try procd.listThroughput(clients: options.rpcClients, seconds: options.rpcSeconds))
            results.add(.listRPCFull, column, try procd.listThroughput(clients: options.rpcClients, seconds: options.rpcSeconds, compact: false))
        }
        if options.idleSeconds > 0 {
            settle()
            let cpu = DaemonProbe.cpuNanoseconds(pid)
            let switches = DaemonProbe.contextSwitches(pid)
            Clock.sleep(.seconds(options.idleSeconds))
            results.add(.idleCPU, column, (DaemonProbe.cpuNanoseconds(pid) - cpu) / 1e6)
            results.add(.idleWakeups, column, DaemonProbe.contextSwitches(pid) - switches)
        }
        let stop = Clock.now()
        try manager.stopAll()
        results.add(.stopMany, column, milliseconds(since: stop))
        try manager.removeAll()
    }

    /// Kills the process with SIGKILL and times until its replacement writes its stamp.
    private func respawn(_ manager: Manager, _ column: Column, _ pid: Int32, _ stamp: String, _ results: inout Results) throws {
        try manager.start("stamp", .stamp(path: stamp))
        guard waitUntil(timeout: 10, { readStamp(stamp) != nil }) else { throw BenchError("the stamp process never wrote \(stamp)") }
        for _ in 0..<options.kills {
            guard let child = DaemonProbe.children(pid).first(where: { commandLine($0).contains(stamp) }) else {
                throw BenchError("no child of the daemon runs the stamp program")
            }
            try File.remove(stamp)
            let killedAt = Clock.wallNanoseconds()
            try Processes.signal(child, SIGKILL)
            guard waitUntil(timeout: 10, interval: .microseconds(100), { readStamp(stamp) != nil }), let started = readStamp(stamp) else {
                throw BenchError("the killed stamp process was not started again within 10 s")
            }
            results.add(.respawn, column, Double(started - killedAt) / 1e6)
            Clock.sleep(.milliseconds(300))
        }
        try manager.stopAll()
        try manager.removeAll()
    }

    /// A stdout flood captured by the manager into its log file: throughput and lost bytes.
    private func flood(_ manager: Manager, _ column: Column, _ stamp: String, _ results: inout Results) throws {
        guard manager.capturesLogs, let log = manager.logPath("flood") else { return }
        let bytes = options.floodBytes
        try manager.start("flood", .flood(bytes: bytes, stamp: stamp))
        let complete = waitUntil(timeout: 300) { (File.size(log) ?? 0) >= Int64(bytes) }
        let finishedAt = Clock.wallNanoseconds()
        guard let startedAt = readStamp(stamp) else { throw BenchError("the flood writer never wrote its stamp") }
        if complete { results.add(.floodCapture, column, throughput(bytes, startedAt, finishedAt)) }
        // Let the writer end and the manager drain whatever is left, then count the bytes.
        _ = waitUntil(timeout: 10) { (try? manager.onlineCount("flood")) == 0 }
        settle()
        let size = File.size(log) ?? 0
        results.add(.floodLost, column, Double(max(0, Int64(bytes) - size)))
        if size != Int64(bytes) { throw BenchError("flood log holds \(size) bytes, \(bytes) were written") }
        try manager.stopAll()
        try manager.removeAll()
    }

    private func scale(_ manager: Manager, _ column: Column, _ pid: Int32, _ results: inout Results) throws {
        guard column != .supervisord else { return }
        let start = Clock.now()
        try manager.start("scale", .sleepers(count: options.scale))
        try waitOnline(manager, "scale", options.scale, timeout: 120)
        results.add(.startScale, column, milliseconds(since: start))
        settle()
        if let rss = DaemonProbe.residentMiB(pid) { results.add(.rssScale, column, rss) }
        if let procd = manager as? ProcdManager {
            results.add(.listScale, column, try procd.listRoundTrip())
            let listed = try procd.processes().count
            if listed != options.scale { throw BenchError("list shows \(listed) processes, \(options.scale) were started") }
        }
        let stop = Clock.now()
        try manager.stopAll()
        results.add(.stopScale, column, milliseconds(since: stop))
        try manager.removeAll()
    }

    /// The apps each manager declares for the many-apps figures (supervisord needs them
    /// in its config; it runs the first two sizes, procd and the floor all three).
    static func fleets(_ options: Options, for column: Column) -> [(app: String, count: Int, start: Metric, stop: Metric)] {
        let all: [(app: String, count: Int, start: Metric, stop: Metric)] = [
            ("fleeta", options.apps, .startApps, .stopApps),
            ("fleetb", options.appsLarge, .startAppsLarge, .stopAppsLarge),
            ("fleetc", options.appsScale, .startAppsScale, .stopAppsScale),
        ]
        return column == .supervisord ? Array(all.prefix(2)) : all
    }

    /// The many-apps figures, on a manager of their own (supervisord's status would
    /// otherwise list every declared program in the other figures): N apps started by one
    /// command, timed until all are online, then stopped.
    func runFleets(_ manager: Manager, as column: Column, into results: inout Results) {
        defer { manager.shutdown() }
        let fleets = Self.fleets(options, for: column)
        do {
            try manager.launch()
        } catch {
            results.fail(column, Set(fleets.flatMap { [$0.start, $0.stop] }), "\(manager.name): launch failed: \(error)")
            return
        }
        for fleet in fleets {
            do {
                let start = Clock.now()
                try manager.start(fleet.app, .apps(count: fleet.count))
                try waitOnline(manager, fleet.app, fleet.count, timeout: 180)
                results.add(fleet.start, column, milliseconds(since: start))
                if let procd = manager as? ProcdManager {
                    let listed = try procd.processes().count
                    if listed != fleet.count { throw BenchError("list shows \(listed) processes, \(fleet.count) apps were started") }
                }
                let stop = Clock.now()
                try manager.stopAll()
                results.add(fleet.stop, column, milliseconds(since: stop))
                try manager.removeAll()
            } catch {
                results.fail(column, [fleet.start, fleet.stop], "\(manager.name): \(fleet.count) apps: \(error)")
                try? manager.stopAll()
                try? manager.removeAll()
            }
        }
    }

    /// Waits until `count` processes of `app` are online. The daemon's children are
    /// counted in /proc first, which costs the daemon nothing; only then is the manager
    /// asked, every 5 ms, so polling does not slow down what it measures.
    private func waitOnline(_ manager: Manager, _ app: String, _ count: Int, timeout: Double = 60) throws {
        if let pid = manager.daemonPid {
            _ = waitUntil(timeout: timeout, interval: .microseconds(500)) { DaemonProbe.liveChildren(pid) >= count }
        }
        let online = try waitUntil(timeout: timeout, interval: .milliseconds(5)) { try manager.onlineCount(app) >= count }
        if !online { throw BenchError("\(app): \(try manager.onlineCount(app)) of \(count) online after \(Int(timeout)) s") }
    }

    /// Gives the daemon a moment to finish what a command set off before reading /proc.
    private func settle() { Clock.sleep(.milliseconds(300)) }
}

/// The wall-clock nanoseconds a stamp file holds, once completely written.
func readStamp(_ path: String) -> Int64? {
    guard let text = readText(path), text.hasSuffix("\n") else { return nil }
    return Int64(text.dropLast())
}

/// The command line of a process, arguments joined by spaces.
func commandLine(_ pid: Int32) -> String {
    guard let bytes = try? File.read("/proc/\(pid)/cmdline", limit: 1 << 16) else { return "" }
    return String(decoding: bytes.map { $0 == 0 ? UInt8(ascii: " ") : $0 }, as: UTF8.self)
}

/// MiB/s for `bytes` written between two wall-clock nanosecond stamps.
func throughput(_ bytes: Int, _ start: Int64, _ end: Int64) -> Double {
    Double(bytes) / Double(1 << 20) / (Double(max(end - start, 1)) / 1e9)
}
