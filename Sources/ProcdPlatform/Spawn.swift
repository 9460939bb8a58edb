import CProcdLinux
import Glibc

/// Starts programs with posix_spawn(3): a clean signal state, a process group of their
/// own, and exactly the descriptors asked for.
public enum Spawn {
    public struct Request {
        /// Absolute path of the program to execute.
        public var path: String
        public var argv: [String]
        public var env: [String]
        public var cwd: String?
        /// Child descriptor i becomes a copy of `descriptors[i]`; nothing else is inherited.
        public var descriptors: [Int32]
        /// A new session (for a detached daemon) instead of just a new process group.
        public var newSession = false
        /// Indexes in `env` of `NAME=` entries (LISTEN_PID, WATCHDOG_PID) the child fills
        /// with its own pid; these take the fork-and-exec path, as posix_spawn cannot know
        /// the pid in advance.
        public var pidSlots: [Int] = []

        public init(path: String, argv: [String], env: [String], cwd: String?, descriptors: [Int32]) {
            self.path = path
            self.argv = argv
            self.env = env
            self.cwd = cwd
            self.descriptors = descriptors
        }
    }

    /// Spawns the program and returns its pid. exec and chdir failures are reported here.
    public static func spawn(_ request: Request) throws(SystemError) -> Int32 {
        var pid: pid_t = 0
        let argv = CStringArray(request.argv)
        let envp = CStringArray(request.env)
        for slot in request.pidSlots where slot < request.env.count {
            // Room for the 20 digits the child writes in place.
            let name = request.env[slot].split(separator: "=", maxSplits: 1).first.map(String.init) ?? ""
            free(envp.pointer[slot])
            envp.pointer[slot] = strdup(name + "=" + String(repeating: "0", count: 20))
        }
        let code: Int32 = request.descriptors.withUnsafeBufferPointer { fds in
            request.path.withCString { path in
                withOptionalCString(request.cwd) { cwd in
                    if !request.pidSlots.isEmpty {
                        let slots = request.pidSlots.map { Int32($0) }
                        return slots.withUnsafeBufferPointer { slotBuffer in
                            procd_spawn_forked(&pid, path, argv.pointer, envp.pointer, cwd, fds.baseAddress,
                                               Int32(fds.count), slotBuffer.baseAddress, Int32(slotBuffer.count))
                        }
                    }
                    return procd_spawn(&pid, path, argv.pointer, envp.pointer, cwd, fds.baseAddress,
                                       Int32(fds.count), request.newSession ? 1 : 0)
                }
            }
        }
        if code != 0 {
            let culprit = code == ENOENT && request.cwd != nil && !File.exists(request.cwd ?? "") ? request.cwd : request.path
            throw SystemError(call: code == ENOENT || code == EACCES ? "exec" : "posix_spawn", code: code, path: culprit)
        }
        return pid
    }

    /// Finds `program` on `searchPath` (a PATH value) unless it already contains a '/'.
    /// Relative paths with a '/' are taken from `cwd`.
    public static func resolve(_ program: String, searchPath: String?, cwd: String) -> String? {
        if program.contains("/") {
            let path = program.hasPrefix("/") ? program : cwd + "/" + program
            return File.isExecutable(path) ? path : nil
        }
        let directories = (searchPath ?? "/usr/local/bin:/usr/bin:/bin").split(separator: ":", omittingEmptySubsequences: false)
        for directory in directories {
            let base = directory.isEmpty ? cwd : String(directory)
            let candidate = base + "/" + program
            if File.isExecutable(candidate), !File.isDirectory(candidate) { return candidate }
        }
        return nil
    }
}

/// A NULL-terminated array of C strings that lives as long as this value.
final class CStringArray {
    let pointer: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>
    private let count: Int

    init(_ strings: [String]) {
        count = strings.count
        pointer = .allocate(capacity: strings.count + 1)
        for (i, s) in strings.enumerated() { pointer[i] = strdup(s) }
        pointer[strings.count] = nil
    }

    deinit {
        for i in 0..<count { free(pointer[i]) }
        pointer.deallocate()
    }
}

func withOptionalCString<R>(_ string: String?, _ body: (UnsafePointer<CChar>?) -> R) -> R {
    guard let string else { return body(nil) }
    return string.withCString { body($0) }
}
