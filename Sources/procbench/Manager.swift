import Foundation
import ProcdPlatform

/// What a group of managed processes runs: all of them are `procd-fixture` (or the
/// equivalent hidden mode of procbench), so every manager runs the same program.
enum Workload {
    /// Sleeps until signalled.
    case sleepers(count: Int)
    /// Writes the wall-clock nanoseconds to `path` at start, then sleeps.
    case stamp(path: String)
    /// Writes the wall-clock nanoseconds to `stamp`, then `bytes` bytes to stdout, then exits 0.
    case flood(bytes: Int, stamp: String)
    /// `count` apps of one sleeper each (`NAME-0`, `NAME-1`, …), started by one command:
    /// an ecosystem file for procd, a group for supervisord.
    case apps(count: Int)

    var count: Int {
        switch self {
        case .sleepers(let count), .apps(let count): return count
        case .stamp, .flood: return 1
        }
    }

    /// Whether the manager should start it again when it ends.
    var restarts: Bool {
        switch self {
        case .sleepers, .stamp, .apps: return true
        case .flood: return false
        }
    }

    /// Arguments for the fixture program.
    var arguments: [String] {
        switch self {
        case .sleepers, .apps: return ["--sleep"]
        case .stamp(let path): return ["--stamp", path, "--sleep"]
        case .flood(let bytes, let stamp): return ["--stamp", stamp, "--spew", String(bytes)]
        }
    }
}

/// One process manager under test, driven through its own command-line client.
///
/// A manager lives in a temporary directory of its own for one repetition: `launch`
/// starts its daemon with nothing running, `shutdown` ends it and everything it started.
protocol Manager: AnyObject {
    var name: String { get }
    /// The daemon whose memory, CPU time and wake-ups are measured.
    var daemonPid: Int32? { get }
    /// Whether the manager captures its processes' stdout into a log file.
    var capturesLogs: Bool { get }

    func launch() throws
    /// Issues the command that starts `workload` as app `app`; returns when the command
    /// returns (the processes may still be launching: see `onlineCount`).
    func start(_ app: String, _ workload: Workload) throws
    /// How many processes of `app` are online now.
    func onlineCount(_ app: String) throws -> Int
    /// One round trip of the manager's status command, in milliseconds.
    func listRoundTrip() throws -> Double
    /// Asks every process to stop and returns once none is running.
    func stopAll() throws
    /// Forgets every app, so the next figure starts from an empty table.
    func removeAll() throws
    /// The file that receives `app`'s stdout.
    func logPath(_ app: String) -> String?
    func shutdown()
}

/// The programs under test, found next to procbench's own executable.
struct Binaries: Sendable {
    var directory: String
    var procbench: String
    var procd: String { directory + "/procd" }
    var procctl: String { directory + "/procctl" }
    var fixture: String { directory + "/procd-fixture" }

    /// Locates the directory of /proc/self/exe and checks that every binary is there.
    static func locate() throws -> Binaries {
        guard let me = Environment.executablePath else { throw BenchError("unable to read /proc/self/exe") }
        let binaries = Binaries(directory: File.parent(of: me), procbench: me)
        for path in [binaries.procd, binaries.procctl, binaries.fixture] where !File.isExecutable(path) {
            throw BenchError("\(path) is missing; build every product first (swift build -c release --static-swift-stdlib)")
        }
        return binaries
    }
}

/// Temporary directories: short paths (socket paths are limited to 108 bytes).
enum TemporaryDirectory {
    /// Creates /tmp/pbXXXXXX (mode 0700) and registers it for removal by the sweep.
    static func make(_ prefix: String = "pb") throws -> String {
        var template = Array("/tmp/\(prefix)XXXXXX".utf8CString)
        let made = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
        guard made != nil else { throw BenchError("unable to create a directory under /tmp: \(String(cString: strerror(errno)))") }
        let path = String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
        Sweeper.shared.removeLater(path)
        return path
    }
}

/// Figures read from /proc for a daemon.
enum DaemonProbe {
    /// Resident memory in MiB (VmRSS).
    static func residentMiB(_ pid: Int32) -> Double? {
        guard let value = statusField(pid, "VmRSS:") else { return nil }
        return value / 1024
    }

    /// Memory only this process uses (Private_Clean + Private_Dirty of smaps_rollup), in
    /// MiB: what ending it gives back. Shared pages (the binary the daemon also maps) are not.
    static func privateMiB(_ pid: Int32) -> Double? {
        guard let clean = field("/proc/\(pid)/smaps_rollup", "Private_Clean:"),
              let dirty = field("/proc/\(pid)/smaps_rollup", "Private_Dirty:") else { return nil }
        return (clean + dirty) / 1024
    }

    /// CPU time in nanoseconds over all threads, from /proc/PID/task/*/schedstat.
    static func cpuNanoseconds(_ pid: Int32) -> Double {
        var total = 0.0
        for task in File.list("/proc/\(pid)/task") {
            guard let text = readText("/proc/\(pid)/task/\(task)/schedstat"),
                  let first = text.split(separator: " ").first, let ns = Double(first) else { continue }
            total += ns
        }
        return total
    }

    /// Voluntary plus involuntary context switches over all threads: each is a wake-up.
    static func contextSwitches(_ pid: Int32) -> Double {
        var total = 0.0
        for task in File.list("/proc/\(pid)/task") {
            total += field("/proc/\(pid)/task/\(task)/status", "voluntary_ctxt_switches:") ?? 0
            total += field("/proc/\(pid)/task/\(task)/status", "nonvoluntary_ctxt_switches:") ?? 0
        }
        return total
    }

    /// Children of every thread of `pid` (the floor spawns from two threads), from
    /// /proc/PID/task/TID/children.
    static func children(_ pid: Int32) -> [Int32] {
        File.list("/proc/\(pid)/task").flatMap { task in
            (readText("/proc/\(pid)/task/\(task)/children") ?? "").split(whereSeparator: { $0 == " " || $0 == "\n" }).compactMap { Int32($0) }
        }
    }

    /// Children of `pid` that have not ended (zombies excluded).
    static func liveChildren(_ pid: Int32) -> Int {
        children(pid).filter { (ProcFS.stat($0)?.state ?? "Z") != "Z" }.count
    }

    static func statusField(_ pid: Int32, _ name: String) -> Double? { field("/proc/\(pid)/status", name) }

    private static func field(_ path: String, _ name: String) -> Double? {
        guard let text = readText(path) else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix(name) {
            let rest = trimmed(line.dropFirst(name.count))
            return rest.split(separator: " ").first.flatMap { Double($0) }
        }
        return nil
    }
}
