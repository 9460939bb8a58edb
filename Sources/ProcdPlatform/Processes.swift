import CProcdLinux
import Glibc
import ProcdCore

/// Signals, reaping and identity of processes.
public enum Processes {
    public enum Delivery: Equatable, Sendable { case sent, alreadyGone }

    /// A child that was reaped by waitpid(2).
    public struct Reaped: Equatable, Sendable {
        public var pid: Int32
        public var status: ExitStatus

        public init(pid: Int32, status: ExitStatus) {
            self.pid = pid
            self.status = status
        }
    }

    /// The one reading of a wait status, as the C side splits it.
    private static func status(exited: Int32, code: Int32, signal: Int32) -> ExitStatus {
        exited != 0 ? .code(code) : .signal(signal)
    }

    /// Waits for one child of this process to end and reaps it (waitpid(2) on that pid
    /// only, so the other children stay their owners' to reap).
    public static func wait(for pid: Int32) -> ExitStatus {
        var exited: Int32 = 0
        var code: Int32 = 0
        var signal: Int32 = 0
        _ = procd_wait_pid(pid, &exited, &code, &signal)
        return status(exited: exited, code: code, signal: signal)
    }

    /// Reaps every child that has ended, without blocking.
    public static func reapAll() -> [Reaped] {
        var out: [Reaped] = []
        while true {
            var exited: Int32 = 0
            var code: Int32 = 0
            var signal: Int32 = 0
            let pid = procd_reap(&exited, &code, &signal)
            if pid <= 0 { return out }
            out.append(Reaped(pid: pid, status: status(exited: exited, code: code, signal: signal)))
        }
    }

    /// The name the process shows in top, `ps -o comm` and pgrep.
    public static func setName(_ name: String) {
        _ = procd_set_name(name)
    }

    /// Sends a signal to one process; ESRCH is a value, not an error.
    @discardableResult
    public static func signal(_ pid: Int32, _ signal: Int32) throws(SystemError) -> Delivery {
        if Glibc.kill(pid, signal) == 0 { return .sent }
        let code = errno
        if code == ESRCH { return .alreadyGone }
        throw SystemError(call: "kill", code: code, path: String(pid))
    }

    /// Sends a signal to every process of a group; ESRCH is a value, not an error.
    @discardableResult
    public static func signalGroup(_ pgid: Int32, _ signal: Int32) throws(SystemError) -> Delivery {
        guard pgid > 1 else { return .alreadyGone }       // never signal group 0 or 1 by mistake
        if Glibc.kill(-pgid, signal) == 0 { return .sent }
        let code = errno
        if code == ESRCH { return .alreadyGone }
        throw SystemError(call: "kill", code: code, path: "group \(pgid)")
    }

    /// True while any process of the group exists (zombies included).
    public static func groupExists(_ pgid: Int32) -> Bool {
        guard pgid > 1 else { return false }
        return Glibc.kill(-pgid, 0) == 0 || errno == EPERM
    }

    public static func exists(_ pid: Int32) -> Bool {
        Glibc.kill(pid, 0) == 0 || errno == EPERM
    }

    public static var currentPid: Int32 { getpid() }
    public static var effectiveUser: UInt32 { geteuid() }

    /// Makes this process the reaper of orphaned descendants (PR_SET_CHILD_SUBREAPER), so a
    /// grandchild whose parent died is reparented here and its exit reaches the daemon.
    public static func becomeSubreaper() throws(SystemError) {
        _ = try sys("prctl(PR_SET_CHILD_SUBREAPER)") { procd_prctl_subreaper() }
    }

    /// The limits on open descriptors (RLIMIT_NOFILE), soft and hard; unlimited reads as
    /// `Int.max`.
    public static var descriptorLimit: (soft: Int, hard: Int) {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return (1024, 1024) }
        func value(_ raw: rlim_t) -> Int { raw > rlim_t(Int.max) ? Int.max : Int(raw) }
        return (value(limit.rlim_cur), value(limit.rlim_max))
    }

    /// Raises the soft limit on open descriptors to the hard limit: every process costs the
    /// daemon and the keeper two pipe ends each, and a thousand processes pass the usual
    /// soft limit of 1024. Returns the soft limit before, when it was raised.
    @discardableResult
    public static func raiseDescriptorLimit() -> Int? {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0, limit.rlim_cur < limit.rlim_max else { return nil }
        let before = Int(limit.rlim_cur)
        limit.rlim_cur = limit.rlim_max
        return setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 ? before : nil
    }

    /// fork(2): the child gets 0, the parent the child's pid. Only for a process with one
    /// thread (the keeper), since the child has only the calling thread. The child leads
    /// a process group of its own, as `Spawn` children do.
    public static func forkProcess() throws(SystemError) -> Int32 {
        let pid = try sys("fork") { fork() }
        if pid == 0 { _ = setpgid(0, 0) }
        return pid
    }

    public static var cpuCount: Int { Int(procd_cpu_count()) }

    /// Waits until every process in `pids` has exited or `timeout` has passed, without
    /// polling (pidfd_open(2) descriptors in an epoll set). Returns those still running.
    /// Works for processes that are not our children. Blocking: for start-up only.
    public static func waitForExit(_ pids: [Int32], timeout: Duration) -> [Int32] {
        guard !pids.isEmpty, let epoll = try? Epoll() else { return pids }
        var watching: [Int32: OwnedFD] = [:]
        for pid in pids {
            let fd = procd_pidfd_open(pid)
            if fd < 0 { continue }           // already gone (ESRCH)
            let owned = OwnedFD(adopting: fd)
            if (try? epoll.add(fd, events: .readable, token: UInt64(pid))) != nil { watching[pid] = owned }
        }
        let deadline = Clock.now() + timeout
        while !watching.isEmpty {
            let left = deadline - Clock.now()
            if left <= .zero { break }
            guard let ready = try? epoll.wait(timeout: left) else { break }
            for event in ready { watching.removeValue(forKey: Int32(truncatingIfNeeded: event.token))?.close() }
        }
        return Array(watching.keys)
    }

    /// Replaces this process's image (execve(2)), keeping its pid, children and every
    /// descriptor not marked close-on-exec. Returns only on failure.
    public static func replaceImage(path: String, argv: [String], env: [String]) -> SystemError {
        let args = CStringArray(argv)
        let envp = CStringArray(env)
        execve(path, args.pointer, envp.pointer)
        return SystemError(call: "execve", code: errno, path: path)
    }

    /// Marks a descriptor to survive (or not) the next execve.
    public static func keepAcrossExec(_ fd: Int32, _ keep: Bool) {
        _ = procd_set_cloexec(fd, keep ? 0 : 1)
    }

    /// Terminates this process immediately with a code.
    public static func exit(_ code: Int32) -> Never { Glibc.exit(code) }
}
