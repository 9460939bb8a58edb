import Foundation
import ProcdCore
import ProcdPlatform

/// `procbench files`: a config file of many apps against one ten times smaller. procctl
/// sends a file's apps in batches that fit the daemon's 1 MiB request line, so the figure
/// to watch is the time per app: the same at both sizes means starting scales linearly.
///
/// The apps are `procd-fixture --exit 0` without autorestart: 10,000 sleeping processes
/// would need some 60,000 descriptors in the daemon (six each), past most machines' hard
/// limit. Each sample gets a fresh home, the two sizes interleaved.
enum LargeFile {
    static let usage = """
        usage: procbench files [--apps SMALL,LARGE] [--samples N]

        Starts SMALL and LARGE apps (default 1000 and 10000) from one config file, each in a
        fresh home, N samples of each interleaved (default 3). Prints the medians of the time
        until 'procctl start FILE' returns and until every app has run to its exit, the time
        per app, and the large file's time per app over the small one's (1.00 is linear).

        """

    /// One sample: milliseconds until `procctl start` returned, and until every app ran.
    struct Sample {
        var returned: Double
        var ran: Double
    }

    /// Starts `count` apps from one file in a fresh home under `scratch`.
    static func measure(_ binaries: Binaries, count: Int, scratch: String) throws -> Sample {
        let home = scratch + "/files-\(count)-\(Clock.now().nanoseconds)"
        let manager = ProcdManager(binaries: binaries, home: home)
        defer {
            manager.shutdown()
            removeTree(home)
        }
        try manager.launch()
        let file = scratch + "/apps-\(count).json"
        let apps = (0..<count).map { i -> JSON in
            .object(["name": .string("app-\(i)"), "script": .string(binaries.fixture),
                     "args": .array([.string("--exit"), .string("0")]), "autorestart": .bool(false)])
        }
        try File.writeAtomically(file, JSON.object(["apps": .array(apps)]).serialized() + "\n")

        let start = Clock.now()
        try Command.check([binaries.procctl, "start", file], env: ["PROCD_HOME": home])
        let returned = milliseconds(since: start)
        // /proc first (it costs the daemon nothing), then the daemon's word every 5 ms.
        if let pid = manager.daemonPid {
            _ = waitUntil(timeout: 300, interval: .milliseconds(1)) { DaemonProbe.liveChildren(pid) == 0 }
        }
        let ran = try waitUntil(timeout: 300, interval: .milliseconds(5)) {
            let table = try manager.processes()
            return table.count == count && table.allSatisfy { $0["status"]?.stringValue == "stopped" && $0["exit_code"]?.intValue == 0 }
        }
        guard ran else { throw BenchError("\(count) apps: not every app ran to its exit within 300 s") }
        return Sample(returned: returned, ran: milliseconds(since: start))
    }

    /// `procbench files`.
    static func run(_ arguments: [String], binaries: Binaries) throws -> Int32 {
        var sizes = (small: 1_000, large: 10_000)
        let samples: Int
        do throws(ModeArguments.Exit) {
            let options = try ModeArguments(arguments, known: ["--apps", "--samples"], usage: usage)
            samples = try options.positive("--samples", 3, usage: usage)
            if let text = options.values["--apps"] {
                let numbers = text.split(separator: ",").compactMap { Int($0) }
                guard numbers.count == 2, numbers.allSatisfy({ $0 > 0 }) else {
                    throw ModeArguments.refuse("--apps needs two positive numbers such as 1000,10000", usage: usage)
                }
                sizes = (numbers[0], numbers[1])
            }
        } catch {
            return error.status
        }
        let scratch = try TemporaryDirectory.make()
        defer { removeTree(scratch) }
        // Milliseconds until `procctl start` returned and until every app ran, by size.
        var returned = [Samples(), Samples()]
        var ran = [Samples(), Samples()]
        for _ in 0..<samples {
            for (index, count) in [sizes.small, sizes.large].enumerated() {
                let sample = try measure(binaries, count: count, scratch: scratch)
                returned[index].add(sample.returned)
                ran[index].add(sample.ran)
            }
        }
        var perApp: [Double] = []
        for (index, count) in [sizes.small, sizes.large].enumerated() {
            let all = ran[index].median ?? 0
            perApp.append(all / Double(count))
            print(String(format: "start %d apps from one file: 'procctl start' returns in %.0f ms, all ran in %.0f ms (%.3f ms an app)",
                         count, returned[index].median ?? 0, all, all / Double(count)))
        }
        print(String(format: "time per app, %d apps over %d: %.2f×", sizes.large, sizes.small, perApp[1] / perApp[0]))
        return 0
    }
}
