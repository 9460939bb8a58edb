import CProcdLinux
import Glibc

/// Starts programs (clone and execve, see procd_spawn): a clean signal state, a process group of their
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
        /// Run as this identity (the daemon must be root); takes the fork-and-exec path.
        public var identity: Identity?

        public init(path: String, argv: [String], env: [String], cwd: String?, descriptors: [Int32]) {
            self.path = path
            self.argv = argv
            self.env = env
            self.cwd = cwd
            self.descriptors = descriptors
        }
    }

    /// Spawns the program and returns its pid. exec, chdir and identity failures are
    /// reported here, not as an exit status later.
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
        let slots = request.pidSlots.map { Int32($0) }
        let groups = request.identity?.groups ?? []
        var step: Int32 = 0
        let code: Int32 = request.descriptors.withUnsafeBufferPointer { fds in
            slots.withUnsafeBufferPointer { slotBuffer in
                groups.withUnsafeBufferPointer { groupBuffer in
                    request.path.withCString { path in
                        withOptionalCString(request.cwd) { cwd in
                            var ids = procd_identity(uid: request.identity?.uid ?? 0, gid: request.identity?.gid ?? 0,
                                                     groups: groupBuffer.baseAddress, ngroups: Int32(groupBuffer.count))
                            return withUnsafePointer(to: &ids) { identity in
                                procd_spawn(&pid, path, argv.pointer, envp.pointer, cwd, fds.baseAddress, Int32(fds.count),
                                            slotBuffer.baseAddress, Int32(slotBuffer.count),
                                            request.identity == nil ? nil : identity, request.newSession ? 1 : 0, &step)
                            }
                        }
                    }
                }
            }
        }
        if code != 0 {
            switch Int(step) {
            case Int(PROCD_STEP_CHDIR):
                throw SystemError(call: "chdir", code: code, path: request.cwd)
            case Int(PROCD_STEP_IDENTITY):
                let who = request.identity.map { "uid \($0.uid) gid \($0.gid)" }
                throw SystemError(call: "setuid", code: code, path: who)
            case Int(PROCD_STEP_SESSION), Int(PROCD_STEP_DESCRIPTORS):
                throw SystemError(call: "spawn", code: code, path: request.path)
            default:
                throw SystemError(call: "exec", code: code, path: request.path)
            }
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

/// A user and group to run a child as, with its supplementary groups.
public struct Identity: Equatable, Sendable {
    public var uid: UInt32
    public var gid: UInt32
    public var groups: [UInt32]
    public var userName: String
    public var home: String

    /// Resolves `user` (a name or a number) and optionally `group`; the groups are the
    /// user's from the group database (getgrouplist(3)), the primary group first.
    public static func resolve(user: String?, group: String?) -> Result<Identity, SystemError> {
        var uid: uid_t = Glibc.getuid()
        var gid: gid_t = Glibc.getgid()
        var name = ""
        var home = [CChar](repeating: 0, count: 1024)
        if let user {
            if procd_lookup_user(user, &uid, &gid, &home, Int32(home.count)) == 0 {
                name = user
            } else if let number = UInt32(user) {
                uid = number
                if let entry = getpwuid(number) {
                    gid = entry.pointee.pw_gid
                    name = String(cString: entry.pointee.pw_name)
                    if let dir = entry.pointee.pw_dir { strncpy(&home, dir, home.count - 1) }
                }
            } else {
                return .failure(SystemError(call: "getpwnam", code: ENOENT, path: "user '\(user)'"))
            }
        }
        if let group {
            var found: gid_t = 0
            if procd_lookup_group(group, &found) == 0 {
                gid = found
            } else if let number = UInt32(group) {
                gid = number
            } else {
                return .failure(SystemError(call: "getgrnam", code: ENOENT, path: "group '\(group)'"))
            }
        }
        var groups = [gid_t](repeating: 0, count: 256)
        var count = 0
        if !name.isEmpty {
            count = Int(procd_user_groups(name, gid, &groups, Int32(groups.count)))
        }
        var list = [gid] + Array(groups.prefix(count)).filter { $0 != gid }
        if user == nil { list = [gid] }
        let homeText = String(decoding: home.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return .success(Identity(uid: uid, gid: gid, groups: list, userName: name, home: homeText.isEmpty ? "/" : homeText))
    }
}
