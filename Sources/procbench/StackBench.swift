import Foundation
import ProcdCore
import ProcdPlatform

/// `procbench stacks`: a dependency tree of apps against the same apps with no
/// dependencies, and the daemon's wake-ups while a stack idles, without and with a probe.
///
/// The apps are `procd-fixture --sleep`, online the moment they fork, so the tree's
/// critical path has no readiness time of its own: what is left is the daemon's cost of
/// holding apps back and releasing each layer as the one below comes online.
enum StackBench {
    static let usage = """
        usage: procbench stacks [--apps N] [--depth D] [--samples N] [--idle-seconds S]

        Starts N apps (default 200) from one file, as a tree D layers deep (default 10;
        each app depends on one of the layer below, condition online) and with no
        dependencies, each in a fresh home, N samples of each interleaved (default 5).
        Prints the medians until every app is online and their ratio (the bar: 1.2×),
        then the daemon's wake-ups over S idle seconds (default 5) with the tree online,
        and with one app that has an exec liveness probe every second.

        """

    /// The file's apps: `depth` layers of `apps / depth`, each app after one of the layer
    /// below; `probe` gives the first app an exec liveness probe every second.
    static func document(_ binaries: Binaries, apps: Int, depth: Int, dependencies: Bool, probe: Bool = false) -> JSON {
        let width = max(1, apps / depth)
        let list = (0..<apps).map { i -> JSON in
            let layer = i / width
            var app: JSONObject = ["name": .string("n\(i)"), "script": .string(binaries.fixture),
                                   "args": .array([.string("--sleep")])]
            if dependencies && layer > 0 { app["depends_on"] = .array([.string("n\((layer - 1) * width + i % width)")]) }
            if probe && i == 0 {
                app["liveness_probe"] = .object(["exec": .object(["command": .string("true")]), "period_seconds": .int(1)])
            }
            return .object(app)
        }
        return .object(["apps": .array(list)])
    }

    /// A fresh home with the file started: milliseconds until every app was online.
    static func start(_ binaries: Binaries, _ document: JSON, count: Int, home: String, manager: ProcdManager) throws -> Double {
        try manager.launch()
        let file = home + ".json"
        try File.writeAtomically(file, document.serialized() + "\n")
        defer { _ = try? File.remove(file) }
        let start = Clock.now()
        try Command.check([binaries.procctl, "start", file], env: ["PROCD_HOME": home])
        let online = try waitUntil(timeout: 120, interval: .milliseconds(2)) {
            let table = try manager.processes()
            return table.count == count && table.allSatisfy { $0["status"]?.stringValue == "online" }
        }
        guard online else { throw BenchError("\(count) apps: not every app came online within 120 s") }
        return milliseconds(since: start)
    }

    /// Context switches of the daemon over `seconds` once the table has settled.
    static func idleWakeups(_ manager: ProcdManager, seconds: Int) -> Double {
        guard let pid = manager.daemonPid, seconds > 0 else { return 0 }
        Thread.sleep(forTimeInterval: 1)
        let before = DaemonProbe.contextSwitches(pid)
        Thread.sleep(forTimeInterval: Double(seconds))
        return DaemonProbe.contextSwitches(pid) - before
    }

    struct Settings {
        var apps = 200
        var depth = 10
        var samples = 5
        var idleSeconds = 5
    }

    static func settings(_ arguments: [String]) throws(ModeArguments.Exit) -> Settings {
        let options = try ModeArguments(arguments, known: ["--apps", "--depth", "--samples", "--idle-seconds"], usage: usage)
        var settings = Settings()
        settings.apps = try options.positive("--apps", settings.apps, usage: usage)
        settings.depth = try options.positive("--depth", settings.depth, usage: usage)
        settings.samples = try options.positive("--samples", settings.samples, usage: usage)
        if let text = options.values["--idle-seconds"] {
            guard let n = Int(text), n >= 0 else { throw ModeArguments.refuse("--idle-seconds needs a number of seconds", usage: usage) }
            settings.idleSeconds = n
        }
        guard settings.depth <= settings.apps else { throw ModeArguments.refuse("--depth cannot exceed --apps", usage: usage) }
        return settings
    }

    /// `procbench stacks`.
    static func run(_ arguments: [String], binaries: Binaries) throws -> Int32 {
        let settings: Settings
        do throws(ModeArguments.Exit) {
            settings = try self.settings(arguments)
        } catch {
            return error.status
        }
        let scratch = try TemporaryDirectory.make()
        defer { removeTree(scratch) }
        var times = [Samples(), Samples()]
        var wakeups: [Double] = []
        for sample in 0..<settings.samples {
            for (index, dependencies) in [true, false].enumerated() {
                let home = scratch + "/stack-\(sample)-\(index)"
                let manager = ProcdManager(binaries: binaries, home: home)
                defer {
                    manager.shutdown()
                    removeTree(home)
                }
                let document = document(binaries, apps: settings.apps, depth: settings.depth, dependencies: dependencies)
                times[index].add(try start(binaries, document, count: settings.apps, home: home, manager: manager))
                if dependencies && sample == 0 { wakeups.append(idleWakeups(manager, seconds: settings.idleSeconds)) }
            }
        }
        let probed = try probeWakeups(binaries, settings: settings, scratch: scratch)
        report(settings, times: times, idle: wakeups.first ?? 0, probed: probed)
        return 0
    }

    /// Wake-ups over the idle window with one probed app in the tree.
    static func probeWakeups(_ binaries: Binaries, settings: Settings, scratch: String) throws -> Double {
        let home = scratch + "/stack-probe"
        let manager = ProcdManager(binaries: binaries, home: home)
        defer {
            manager.shutdown()
            removeTree(home)
        }
        let document = document(binaries, apps: settings.apps, depth: settings.depth, dependencies: true, probe: true)
        _ = try start(binaries, document, count: settings.apps, home: home, manager: manager)
        return idleWakeups(manager, seconds: settings.idleSeconds)
    }

    static func report(_ settings: Settings, times: [Samples], idle: Double, probed: Double) {
        let tree = times[0].median ?? 0
        let flat = times[1].median ?? 0
        print(String(format: "%d apps, a tree %d deep: all online in %.0f ms [%.0f–%.0f]", settings.apps, settings.depth,
                     tree, times[0].minimum ?? 0, times[0].maximum ?? 0))
        print(String(format: "%d apps, no dependencies: all online in %.0f ms [%.0f–%.0f]", settings.apps,
                     flat, times[1].minimum ?? 0, times[1].maximum ?? 0))
        let ratio = flat > 0 ? tree / flat : 0
        print(String(format: "tree over no dependencies: %.2f× (bar 1.20×) %@", ratio, ratio <= 1.2 ? "PASS" : "FAIL"))
        guard settings.idleSeconds > 0 else { return }
        print(String(format: "daemon wake-ups over %d s idle, tree online, no probe: %.0f (bar 0) %@", settings.idleSeconds,
                     idle, idle == 0 ? "PASS" : "FAIL"))
        let perPeriod = probed / Double(settings.idleSeconds)
        print(String(format: "with one app's exec liveness probe every second: %.0f, %.1f a period (its timer, the spawn, its exit)",
                     probed, perPeriod))
    }
}
