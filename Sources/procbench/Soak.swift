import Foundation
import ProcdCore
import ProcdPlatform

/// `procbench soak`: the long robustness checks, minutes long, kept out of `swift test`.
/// The daemon's RSS must stay flat (a) across many `list` requests and (b) while an app
/// crash-loops for minutes.
enum Soak {
    static let usage = """
        usage: procbench soak [--lists N] [--minutes M]

          --lists N     list requests sent over the socket (default 10000)
          --minutes M   how long an app crash-loops (default 10)

        """

    static func run(_ arguments: [String], binaries: Binaries) throws -> Int32 {
        var lists = 10_000
        var minutes = 10.0
        var i = 0
        while i < arguments.count {
            guard i + 1 < arguments.count else { throw BenchError("\(arguments[i]) needs a value\n" + usage) }
            switch arguments[i] {
            case "--lists": lists = Int(arguments[i + 1]) ?? lists
            case "--minutes": minutes = Double(arguments[i + 1]) ?? minutes
            default: throw BenchError("unknown option '\(arguments[i])'\n" + usage)
            }
            i += 2
        }
        let home = try TemporaryDirectory.make("pbs")
        let manager = ProcdManager(binaries: binaries, home: home)
        defer { manager.shutdown() }
        try manager.launch()
        guard let pid = manager.daemonPid else { throw BenchError("no daemon pid") }
        try manager.start("many", .sleepers(count: 100))
        _ = try waitUntil(timeout: 60, interval: .milliseconds(20)) { try manager.onlineCount("many") == 100 }

        let socket = home + "/procd.sock"
        let before = DaemonProbe.residentMiB(pid) ?? 0
        for _ in 0..<lists { _ = try WireClient.call(socket: socket, command: "list") }
        let afterLists = DaemonProbe.residentMiB(pid) ?? 0
        print(String(format: "RSS before %d list requests: %.2f MiB, after: %.2f MiB (%+.2f)", lists, before, afterLists, afterLists - before))

        // An app that exits at once, restarted without limit: every restart makes pipes,
        // streams, log writes and a state.json rewrite.
        let crasher = try Command.run([binaries.procctl, "start", binaries.fixture, "--name", "crasher", "--min-uptime", "0",
                                       "--max-restarts", "1000000", "--", "--exit", "1"], env: ["PROCD_HOME": home])
        guard crasher.status == 0 else { throw BenchError("could not start the crash-looping app: \(crasher.output)") }
        let start = Date()
        var samples: [Double] = []
        while Date().timeIntervalSince(start) < minutes * 60 {
            Clock.sleep(.seconds(min(10, max(1, Int(minutes * 6)))))
            samples.append(DaemonProbe.residentMiB(pid) ?? 0)
        }
        let restarts = (try? WireClient.call(socket: socket, command: "list"))?.arrayValue?
            .first { $0["name"]?.stringValue == "crasher" }?["restarts"]?.intValue ?? 0
        let first = samples.first ?? 0
        let last = samples.last ?? 0
        print(String(format: "crash loop for %.1f min, %d restarts: RSS first sample %.2f MiB, last %.2f MiB, max %.2f MiB",
                     minutes, restarts, first, last, samples.max() ?? 0))
        let flat = afterLists - before < 1.0 && last - first < 1.0
        print(flat ? "PASS  daemon RSS stays flat (growth under 1 MiB)" : "FAIL  daemon RSS grew by 1 MiB or more")
        return flat ? 0 : 1
    }
}
