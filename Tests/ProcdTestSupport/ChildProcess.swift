import Foundation
import ProcdPlatform

/// What the tests use instead of Foundation's `Process`, with the part of its interface
/// they need.
///
/// Foundation's `Process.run()` on Linux lists /proc/self/fd with readdir(3) and copies
/// each entry's whole 256-byte `d_name`, reading past glibc's buffer: when an entry sits at
/// the end of that buffer and the next page is unmapped, it faults (SIGSEGV in a memcpy;
/// fixed upstream in swift-corelibs-foundation#5472, after Swift 6.3.1). It took the whole
/// test runner down in about one full run in ten. This spawns through procd's own spawn
/// path (clone and execve, exactly the descriptors given) and waits with waitpid(2) on its
/// own pid only.
public final class ChildProcess: @unchecked Sendable {
    public enum TerminationReason: Sendable { case exit, uncaughtSignal }

    public var executableURL: URL?
    public var arguments: [String]?
    public var environment: [String: String]?
    public var currentDirectoryURL: URL?
    /// A `FileHandle`, a `Pipe` (the child's end is closed here once it runs), or nil for
    /// this process's own descriptor.
    public var standardInput: Any?
    public var standardOutput: Any?
    public var standardError: Any?
    public private(set) var processIdentifier: Int32 = 0

    // The exit status, once reaped; read and written under `lock` (tests poll `isRunning`
    // from one thread while another waits).
    private let lock = NSLock()
    private var ended: (reason: TerminationReason, status: Int32)?

    public init() {}

    public func run() throws {
        guard let path = executableURL?.path else { throw ChildProcessError("no executable") }
        let env = (environment ?? ProcessInfo.processInfo.environment).map { "\($0.key)=\($0.value)" }
        // FileHandle.nullDevice has no descriptor of its own (-1): /dev/null stands in.
        let null = try File.openNull()
        defer { null.close() }
        let descriptors = [
            Self.descriptor(standardInput, reading: true) ?? 0,
            Self.descriptor(standardOutput, reading: false) ?? 1,
            Self.descriptor(standardError, reading: false) ?? 2,
        ].map { $0 < 0 ? null.raw : $0 }
        let request = Spawn.Request(path: path, argv: [path] + (arguments ?? []), env: env,
                                    cwd: currentDirectoryURL?.path, descriptors: descriptors)
        do {
            processIdentifier = try Spawn.spawn(request)
        } catch {
            throw ChildProcessError("unable to run \(path): \(error)")
        }
        for (handle, reading) in [(standardInput, true), (standardOutput, false), (standardError, false)] {
            guard let pipe = handle as? Foundation.Pipe else { continue }
            try? (reading ? pipe.fileHandleForReading : pipe.fileHandleForWriting).close()
        }
    }

    public var isRunning: Bool {
        processIdentifier > 0 && reap(blocking: false) == nil
    }

    public func waitUntilExit() {
        guard processIdentifier > 0 else { return }
        _ = reap(blocking: true)
    }

    /// The exit code, or the number of the signal that ended it.
    public var terminationStatus: Int32 { lock.withLock { ended?.status ?? 0 } }
    public var terminationReason: TerminationReason { lock.withLock { ended?.reason ?? .exit } }

    private func reap(blocking: Bool) -> (reason: TerminationReason, status: Int32)? {
        lock.withLock {
            if let ended { return ended }
            var status: Int32 = 0
            var result: pid_t
            repeat {
                result = waitpid(processIdentifier, &status, blocking ? 0 : WNOHANG)
            } while result < 0 && errno == EINTR
            // ECHILD: someone else reaped it; it has ended, with a status nobody can know.
            if result < 0 && errno == ECHILD {
                ended = (.exit, -1)
                return ended
            }
            guard result == processIdentifier else { return nil }
            let signal = status & 0x7f
            ended = signal == 0 ? (.exit, (status >> 8) & 0xff) : (.uncaughtSignal, signal)
            return ended
        }
    }

    private static func descriptor(_ handle: Any?, reading: Bool) -> Int32? {
        switch handle {
        case let file as FileHandle: return file.fileDescriptor
        case let pipe as Foundation.Pipe: return reading ? pipe.fileHandleForReading.fileDescriptor : pipe.fileHandleForWriting.fileDescriptor
        default: return nil
        }
    }
}

public struct ChildProcessError: Error, CustomStringConvertible {
    public var description: String
    init(_ description: String) { self.description = description }
}
