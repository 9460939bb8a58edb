import Foundation
import ProcdCore
import ProcdPlatform

/// A failure of the benchmark itself: what was attempted and why it did not work.
struct BenchError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// Runs the programs the benchmark drives: posix_spawn(3) through ProcdPlatform, waitpid(2).
///
/// Every child leads its own process group and starts with a clean signal state; `Sweeper`
/// ends whatever is left of them at the end.
enum Command {
    /// How a child ended and what it printed (stdout and stderr together).
    struct Outcome {
        var status: Int32
        var output: String
        var elapsed: Double
    }

    /// The benchmark's own environment, with PROCD_HOME and colour settings cleared.
    static func environment(_ extra: [String: String] = [:]) -> [String] {
        var env = Environment.all()
        env["PROCD_HOME"] = nil
        env["NO_COLOR"] = "1"
        for (key, value) in extra { env[key] = value }
        return env.map { "\($0.key)=\($0.value)" }
    }

    /// Spawns `argv` (argv[0] an absolute path) with the given descriptors as 0, 1, 2…;
    /// /dev/null for any left out or given as -1. The caller waits for it.
    static func spawn(_ argv: [String], env: [String: String] = [:], descriptors: [Int32] = [], cwd: String? = nil) throws -> Int32 {
        let null = try File.openNull()
        defer { null.close() }
        var fds = descriptors.map { $0 < 0 ? null.raw : $0 }
        while fds.count < 3 { fds.append(null.raw) }
        let request = Spawn.Request(path: argv[0], argv: argv, env: environment(env), cwd: cwd, descriptors: fds)
        let pid = try Spawn.spawn(request)
        return pid
    }

    /// Blocks until `pid` ends; its exit code, or 128 + the signal that ended it.
    @discardableResult
    static func wait(_ pid: Int32) -> Int32 {
        Processes.wait(for: pid).shellCode
    }

    /// True once `pid` (our child) has ended; reaps it then.
    static func hasEnded(_ pid: Int32) -> Bool {
        var status: Int32 = 0
        let reaped = waitpid(pid, &status, WNOHANG)
        if reaped == pid || (reaped < 0 && errno == ECHILD) {
                return true
        }
        return false
    }

    /// Runs to completion with output on /dev/null, timing spawn to exit in milliseconds.
    static func timed(_ argv: [String], env: [String: String] = [:]) throws -> Outcome {
        let start = Clock.now()
        let pid = try spawn(argv, env: env)
        let status = wait(pid)
        return Outcome(status: status, output: "", elapsed: milliseconds(since: start))
    }

    /// Runs to completion and collects what it printed.
    static func run(_ argv: [String], env: [String: String] = [:]) throws -> Outcome {
        let start = Clock.now()
        let pipe = try ProcdPlatform.Pipe()
        let pid: Int32
        do {
            pid = try spawn(argv, env: env, descriptors: [-1, pipe.writeEnd.raw, pipe.writeEnd.raw])
        } catch {
            pipe.writeEnd.close()
            pipe.readEnd.close()
            throw error
        }
        pipe.writeEnd.close()
        let bytes = (try? pipe.readEnd.readToEnd(limit: 64 << 20)) ?? []
        pipe.readEnd.close()
        let status = wait(pid)
        return Outcome(status: status, output: String(decoding: bytes, as: UTF8.self), elapsed: milliseconds(since: start))
    }

    /// Like `run`, but a non-zero exit is an error naming the command.
    @discardableResult
    static func check(_ argv: [String], env: [String: String] = [:], accepting codes: Set<Int32> = [0]) throws -> Outcome {
        let outcome = try run(argv, env: env)
        guard codes.contains(outcome.status) else {
            // Program paths are shown by base name: the temporary directories are noise.
            let shown = argv.map { $0.hasPrefix("/") ? String($0.split(separator: "/").last ?? "") : $0 }
            let output = trimmed(outcome.output)
            throw BenchError("'\(shown.joined(separator: " "))' exited with \(outcome.status): \(output.prefix(400))")
        }
        return outcome
    }
}

/// Milliseconds elapsed since `start` on the monotonic clock.
func milliseconds(since start: Tick) -> Double {
    Double(Clock.now().nanoseconds - start.nanoseconds) / 1e6
}

/// Polls `condition` every `interval` until it holds or `timeout` passes; false on timeout.
func waitUntil(timeout: Double, interval: Duration = .milliseconds(1), _ condition: () throws -> Bool) rethrows -> Bool {
    let start = Clock.now()
    while true {
        if try condition() { return true }
        if milliseconds(since: start) > timeout * 1000 { return false }
        Clock.sleep(interval)
    }
}

/// The contents of a small text file, or nil when it cannot be read.
func readText(_ path: String) -> String? {
    guard let bytes = try? File.read(path, limit: 1 << 20) else { return nil }
    return String(decoding: bytes, as: UTF8.self)
}

/// Removes a temporary directory the benchmark made, with `rm -rf` (best effort).
func removeTree(_ path: String) {
    guard path.hasPrefix("/tmp/pb"), let pid = try? Command.spawn(["/bin/rm", "-rf", path]) else { return }
    Command.wait(pid)
}

/// `text` without leading and trailing white space.
func trimmed<S: StringProtocol>(_ text: S) -> String {
    String(text.drop { $0.isWhitespace }.reversed().drop { $0.isWhitespace }.reversed())
}

/// Runs `body` on a new POSIX thread, detached (pthread_create(3)). The thread inherits
/// the caller's signal mask.
func startThread(_ body: @escaping @Sendable () -> Void) {
    // Sendable: `body` is an immutable @Sendable closure, handed to exactly one thread.
    final class Box: @unchecked Sendable {
        let body: @Sendable () -> Void
        init(_ body: @escaping @Sendable () -> Void) { self.body = body }
    }
    var thread = pthread_t()
    let argument = Unmanaged.passRetained(Box(body)).toOpaque()
    let code = pthread_create(&thread, nil, { raw in
        guard let raw else { return nil }
        Unmanaged<Box>.fromOpaque(raw).takeRetainedValue().body()
        return nil
    }, argument)
    precondition(code == 0, "pthread_create: \(String(cString: strerror(code)))")
    pthread_detach(thread)
}
