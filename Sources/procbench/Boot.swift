import Foundation
import ProcdCore
import ProcdPlatform

/// How long `procd --foreground` takes from its spawn until its control socket answers a
/// `ping`: with the keeper (the default: the keeper starts, then the daemon) and without
/// (`PROCD_NO_KEEPER=1`). Each sample gets a fresh home; the daemon is stopped by SIGTERM
/// to the process started before the next one.
enum Boot {
    static let usage = """
        usage: procbench boot [--samples N]

        Times procd from its spawn until its socket answers a ping, with and without the
        keeper, N samples of each, interleaved (default 30); prints the medians and ranges,
        the median of the differences within each pair, and the load average.

        """

    /// One boot, in milliseconds.
    static func measure(_ binaries: Binaries, keeper: Bool, scratch: String) throws -> Double {
        let home = scratch + "/boot-\(Clock.now().nanoseconds)"
        let socket = home + "/procd.sock"
        var env = ["PROCD_HOME": home]
        if !keeper { env["PROCD_NO_KEEPER"] = "1" }
        let start = Clock.now()
        let pid = try Command.spawn([binaries.procd, "--foreground"], env: env)
        defer {
            _ = try? Processes.signal(pid, SIGTERM)
            if !waitUntil(timeout: 5, interval: .microseconds(200), { Command.hasEnded(pid) }) {
                _ = try? Processes.signal(pid, SIGKILL)
                Command.wait(pid)
            }
            removeTree(home)
        }
        // Connect as soon as the socket exists; a refused or missing socket is tried again
        // after 50 µs (the poll itself must not take a core from the daemon).
        let deadline = start + .seconds(5)
        while Clock.now() < deadline {
            if (try? WireClient.call(socket: socket, command: "ping")) != nil { return milliseconds(since: start) }
            usleep(50)
        }
        throw BenchError("procd did not answer a ping within 5 s of its spawn")
    }

    /// `procbench boot`.
    static func run(_ arguments: [String], binaries: Binaries) throws -> Int32 {
        let samples: Int
        do {
            samples = try ModeArguments(arguments, known: ["--samples"], usage: usage).positive("--samples", 30, usage: usage)
        } catch {
            return error.status
        }
        let scratch = try TemporaryDirectory.make()
        defer { removeTree(scratch) }
        var keeper = Samples()
        var bare = Samples()
        // Each pair runs back to back: the difference within a pair cancels most of what
        // other work on the machine adds to both.
        var keepersPart = Samples()
        let loadAtStart = Benchmark.loadAverage()
        for _ in 0..<samples {
            let with = try measure(binaries, keeper: true, scratch: scratch)
            let without = try measure(binaries, keeper: false, scratch: scratch)
            keeper.add(with)
            bare.add(without)
            keepersPart.add(with - without)
        }
        for (label, values) in [("with the keeper", keeper), ("without the keeper", bare)] {
            print(String(format: "boot until ping answers, %@: %.2f ms [%.2f–%.2f]", label, values.median ?? 0, values.minimum ?? 0, values.maximum ?? 0))
        }
        print(String(format: "the keeper's part, median of the %d paired differences: %.2f ms", samples, keepersPart.median ?? 0))
        print("load average \(loadAtStart) at the start, \(Benchmark.loadAverage()) at the end")
        return 0
    }
}
