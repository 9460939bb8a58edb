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
            out.append(Reaped(pid: pid, status: exited != 0 ? .code(code) : .signal(signal)))
        }
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

    /// Raises the soft limit on open descriptors to the hard limit: every process costs the
    /// daemon two pipe ends, and a thousand processes pass the usual soft limit of 1024.
    public static func raiseDescriptorLimit() {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0, limit.rlim_cur < limit.rlim_max else { return }
        limit.rlim_cur = limit.rlim_max
        _ = setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
    }

    public static var cpuCount: Int { Int(procd_cpu_count()) }

    /// Terminates this process immediately with a code.
    public static func exit(_ code: Int32) -> Never { Glibc.exit(code) }
}
