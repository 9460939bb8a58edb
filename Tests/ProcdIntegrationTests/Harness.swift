import Foundation
import Testing

/// What a finished command printed and how it exited.
struct CommandResult: CustomStringConvertible {
    var stdout: String
    var stderr: String
    var status: Int32

    var description: String { "exit \(status)\nstdout: \(stdout)\nstderr: \(stderr)" }
}

/// One object of `procctl jlist`, decoded with the SPEC's types: a field of the wrong
/// type fails the decoding, so the test that reads it fails too.
struct ListedProcess: Decodable {
    var id: Int
    var name: String
    var namespace: String
    var instance: Int
    var pid: Int32?
    var status: String
    var restarts: Int
    var unstableRestarts: Int
    var uptimeMs: Int?
    var startedAt: String?
    var cpu: Double
    var memory: Int
    var exitCode: Int?
    var exitSignal: String?
    var command: [String]
    var cwd: String
    var outLog: String
    var errLog: String
    var ports: [Int]
    var reason: String?
    /// Whether the readiness probe passes; nil for an app without one.
    var ready: Bool?
}

/// A private procd world for one test: its own short `PROCD_HOME`, a scratch folder for
/// scripts and output, and a cleanup that leaves no daemon and no app behind.
///
/// Use it through `withSandbox`, which always runs `cleanup()`.
final class Sandbox {
    /// The temporary folder holding everything below (`/tmp/pdXXXXXX`).
    let root: String
    /// `PROCD_HOME`; the daemon creates it, so its mode is the daemon's choice.
    let home: String
    /// Scripts, stamps and other files a test writes.
    let work: String
    /// The daemon's pid, read from `procd.pid` once a daemon has started.
    private(set) var daemonPid: Int32?
    /// Pids of app processes seen during the test; cleanup ends any still running.
    private var trackedPids: Set<Int32> = []
    /// Processes this harness started directly (foreground daemons).
    private var children: [Process] = []
    private var runCount = 0
    /// Daemons of this sandbox start without a keeper (`PROCD_NO_KEEPER=1`): what a crash
    /// does when the keeper is gone too.
    var withoutKeeper = false

    init() throws {
        var template = Array("/tmp/pdXXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else { throw SandboxError("mkdtemp failed: errno \(errno)") }
        root = String(cString: made)
        home = root + "/h"
        work = root + "/w"
        try FileManager.default.createDirectory(atPath: work + "/io", withIntermediateDirectories: true)
    }

    var socketPath: String { home + "/procd.sock" }
    var daemonLogPath: String { home + "/procd.log" }
    var daemonLog: String { read(daemonLogPath) }
    func outLog(_ name: String) -> String { read("\(home)/logs/\(name)-out.log") }
    func errLog(_ name: String) -> String { read("\(home)/logs/\(name)-err.log") }

    /// The environment every command of this sandbox runs with.
    var environment: [String: String] {
        var env = ProcessInfo.processInfo.environment
        env["PROCD_HOME"] = home
        env["NO_COLOR"] = "1"
        if withoutKeeper { env["PROCD_NO_KEEPER"] = "1" }
        return env
    }

    // MARK: Running commands

    /// Runs `procctl` with this sandbox's home and waits for it (at most 30 s).
    @discardableResult
    func procctl(_ arguments: String..., cwd: String? = nil) -> CommandResult {
        procctl(arguments, cwd: cwd)
    }

    @discardableResult
    func procctl(_ arguments: [String], cwd: String? = nil) -> CommandResult {
        let result = run(Binaries.procctl, arguments, cwd: cwd)
        noteDaemon()
        return result
    }

    /// Runs a program to its end, output captured through files (no pipe can fill up, and a
    /// daemon that inherited a descriptor could not hold the read open forever).
    func run(_ executable: String, _ arguments: [String], cwd: String? = nil, environment: [String: String]? = nil,
             timeout: Duration = .seconds(30)) -> CommandResult {
        runCount += 1
        let outPath = "\(work)/io/\(runCount).out"
        let errPath = "\(work)/io/\(runCount).err"
        let process = makeProcess(executable, arguments, cwd: cwd, stdout: outPath, stderr: errPath)
        if let environment { process.environment = environment }
        do {
            try launchSerially(process)
        } catch {
            return CommandResult(stdout: "", stderr: "unable to run \(executable): \(error)", status: -1)
        }
        let finished = waitUntil(timeout: timeout) { !process.isRunning }
        if !finished {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            return CommandResult(stdout: read(outPath), stderr: read(errPath) + "\n(killed after \(timeout))", status: -1)
        }
        return CommandResult(stdout: read(outPath), stderr: read(errPath), status: process.terminationStatus)
    }

    /// Starts a program and leaves it running; cleanup kills it if the test did not end it.
    func launch(_ executable: String, _ arguments: [String]) throws -> (process: Process, stdout: String, stderr: String) {
        runCount += 1
        let outPath = "\(work)/io/\(runCount).out"
        let errPath = "\(work)/io/\(runCount).err"
        let process = makeProcess(executable, arguments, cwd: nil, stdout: outPath, stderr: errPath)
        try launchSerially(process)
        children.append(process)
        return (process, outPath, errPath)
    }

    private func makeProcess(_ executable: String, _ arguments: [String], cwd: String?,
                             stdout: String, stderr: String) -> Process {
        _ = FileManager.default.createFile(atPath: stdout, contents: nil)
        _ = FileManager.default.createFile(atPath: stderr, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.environment = environment
        process.currentDirectoryURL = URL(fileURLWithPath: cwd ?? work)
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle(forWritingAtPath: stdout)
        process.standardError = FileHandle(forWritingAtPath: stderr)
        return process
    }

    /// Records the daemon's pid from `procd.pid`, again whenever the one known has died
    /// (a test may crash the daemon and let procctl start another).
    /// The keeper's pid from `keeper.pid`, if that process is still this sandbox's.
    /// The keeper's pid, waited for: it writes keeper.pid once its daemon serves, a
    /// moment after the first command was answered.
    func waitForKeeper() throws -> Int32 {
        var pid: Int32?
        guard waitUntil(timeout: .seconds(5), { pid = keeperPid; return pid != nil }), let pid else {
            throw SandboxError("no keeper.pid in \(home)\n\(diagnostics)")
        }
        return pid
    }

    var keeperPid: Int32? {
        guard let pid = Int32(read(home + "/keeper.pid").trimmingCharacters(in: .whitespacesAndNewlines)), pid > 0,
              let environ = FileManager.default.contents(atPath: "/proc/\(pid)/environ"),
              String(decoding: environ, as: UTF8.self).split(separator: "\0").contains(Substring("PROCD_HOME=\(home)"))
        else { return nil }
        return pid
    }

    func noteDaemon() {
        if let pid = daemonPid, ProcessProbe.isAlive(pid) { return }
        let text = read(home + "/procd.pid").trimmingCharacters(in: .whitespacesAndNewlines)
        if let pid = Int32(text), pid > 0 { daemonPid = pid }
    }

    // MARK: Reading state

    /// Every process, from `procctl jlist`.
    func list() throws -> [ListedProcess] {
        let result = procctl("jlist")
        guard result.status == 0 else { throw SandboxError("procctl jlist failed: \(result)") }
        let processes = try JSONDecoder.snakeCase.decode([ListedProcess].self, from: Data(result.stdout.utf8))
        for p in processes { if let pid = p.pid { trackedPids.insert(pid) } }
        return processes
    }

    func processes(named name: String) throws -> [ListedProcess] {
        try list().filter { $0.name == name }
    }

    /// Waits until the app has `count` processes, all with `status`, and returns them.
    @discardableResult
    func waitForStatus(_ name: String, _ status: String, count: Int = 1,
                       timeout: Duration = .seconds(10)) throws -> [ListedProcess] {
        var last: [ListedProcess] = []
        let reached = try waitUntil(timeout: timeout) {
            last = try processes(named: name)
            return last.count == count && last.allSatisfy { $0.status == status }
        }
        guard reached else {
            throw SandboxError("\(name) did not reach \(count)× \(status) within \(timeout); last seen: "
                + last.map { "id \($0.id) \($0.status) pid \($0.pid.map(String.init) ?? "-")" }.joined(separator: ", ")
                + "\n" + diagnostics)
        }
        return last
    }

    /// Polls `condition` every few milliseconds until it holds or the deadline passes.
    func waitUntil(timeout: Duration = .seconds(10), _ condition: () throws -> Bool) rethrows -> Bool {
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        var pause = 2_000
        while true {
            if try condition() { return true }
            if clock.now >= deadline { return false }
            usleep(UInt32(pause))
            pause = min(pause * 2, 50_000)
        }
    }

    /// Remembers a pid so that cleanup ends it if it still runs.
    func track(_ pid: Int32) { trackedPids.insert(pid) }

    // MARK: Files

    /// Writes a file under `work` and returns its path.
    @discardableResult
    func write(_ name: String, _ contents: String, executable: Bool = false) throws -> String {
        let path = work + "/" + name
        try contents.write(toFile: path, atomically: true, encoding: .utf8)
        if executable { chmod(path, 0o755) }
        return path
    }

    func read(_ path: String) -> String {
        (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
    }

    /// The end of the daemon's log, to explain a failure.
    var diagnostics: String {
        let lines = daemonLog.split(separator: "\n").suffix(30)
        return "procd.log (last \(lines.count) lines):\n" + lines.joined(separator: "\n")
    }

    // MARK: Cleanup

    /// Stops everything this test started and removes the temporary folder: `procctl kill`,
    /// then the daemon's pid must be gone (SIGKILL after 5 s), then leftover app processes.
    func cleanup() {
        noteDaemon()
        _ = run(Binaries.procctl, ["kill"], timeout: .seconds(20))     // never starts a daemon
        // A keeper left (its daemon was killed and it gave up, or a test stopped it) goes
        // first, so it does not start the daemon again.
        if let keeper = keeperPid, !waitUntil(timeout: .seconds(5), { !ProcessProbe.isAlive(keeper) }) {
            kill(keeper, SIGCONT)
            kill(keeper, SIGKILL)
            _ = waitUntil(timeout: .seconds(5)) { !ProcessProbe.isAlive(keeper) }
        }
        noteDaemon()
        for process in children where process.isRunning {
            _ = waitUntil(timeout: .seconds(5)) { !process.isRunning }
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            process.waitUntilExit()
        }
        if let pid = daemonPid, !waitUntil(timeout: .seconds(5), { !ProcessProbe.isAlive(pid) }) {
            kill(pid, SIGKILL)
            _ = waitUntil(timeout: .seconds(5)) { !ProcessProbe.isAlive(pid) }
        }
        for pid in trackedPids where ProcessProbe.isAlive(pid) { kill(pid, SIGKILL) }
        try? FileManager.default.removeItem(atPath: root)
    }
}

struct SandboxError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// Runs `body` with a fresh sandbox and always cleans it up.
func withSandbox<R>(_ body: (Sandbox) throws -> R) throws -> R {
    let sandbox = try Sandbox()
    defer { sandbox.cleanup() }
    return try body(sandbox)
}

extension JSONDecoder {
    static var snakeCase: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return decoder
    }
}

extension Sandbox {
    /// `procctl start procd-fixture --name NAME [options] -- [fixture flags]`.
    @discardableResult
    func startFixture(_ name: String, _ fixtureFlags: [String], options: [String] = []) -> CommandResult {
        procctl(["start", Binaries.fixture, "--name", name] + options + ["--"] + fixtureFlags)
    }

    /// Waits until the app's merged stdout log contains `text`; returns the log.
    @discardableResult
    func waitForOutput(_ name: String, containing text: String, timeout: Duration = .seconds(10)) throws -> String {
        var log = ""
        guard waitUntil(timeout: timeout, { log = outLog(name); return log.contains(text) }) else {
            throw SandboxError("\(name)-out.log never showed '\(text)'; it holds:\n\(log)\n\(diagnostics)")
        }
        return log
    }
}

/// Starts a program of the tests (a `ChildProcess`: Foundation's `Process.run()` crashed).
func launchSerially(_ process: Process) throws {
    try process.run()
}
