import Foundation
import Synchronization
import ProcdPlatform

/// Makes sure nothing the benchmark started outlives it, at the end, on failure and on
/// SIGINT/SIGTERM/SIGHUP.
///
/// procbench is a child subreaper (PR_SET_CHILD_SUBREAPER), so a daemon that procctl
/// detached, and any app a killed daemon left behind, is reparented here: the sweep walks
/// our own descendants through /proc and ends each by pid. Nothing is ever ended by name.
///
/// Sendable because its only stored state is the `Mutex` below (the one shared instance is
/// immutable otherwise): every read and write of that state holds the lock.
final class Sweeper: @unchecked Sendable {
    static let shared = Sweeper()

    private struct State {
        var directories: [String] = []
        var shutdowns: [@Sendable () -> Void] = []
    }
    private let state = Mutex(State())

    /// Becomes a subreaper and ends everything on a termination signal. Call before any
    /// thread or child exists: the signals are blocked here and inherited by later threads.
    func install() {
        try? Processes.becomeSubreaper()
        var set = sigset_t()
        sigemptyset(&set)
        for signal in [SIGINT, SIGTERM, SIGHUP] { sigaddset(&set, signal) }
        pthread_sigmask(SIG_BLOCK, &set, nil)
        let blocked = set
        startThread { [self] in
            var waitSet = blocked
            var received: Int32 = 0
            sigwait(&waitSet, &received)
            Environment.write("procbench: interrupted by signal \(received); shutting down what it started\n", to: 2)
            self.sweep()
            exit(130)
        }
    }

    /// A temporary directory removed by the sweep.
    func removeLater(_ directory: String) { state.withLock { $0.directories.append(directory) } }

    /// A graceful shutdown (procctl kill, supervisorctl shutdown) tried before the sweep.
    func onSweep(_ shutdown: @escaping @Sendable () -> Void) { state.withLock { $0.shutdowns.append(shutdown) } }

    /// Runs the graceful shutdowns, then SIGKILLs every remaining descendant by pid,
    /// reaps them and removes the temporary directories.
    func sweep() {
        let graceful = state.withLock { state -> [@Sendable () -> Void] in
            defer { state.shutdowns.removeAll() }
            return state.shutdowns
        }
        for shutdown in graceful { shutdown() }
        for _ in 0..<5 {
            let remaining = Self.descendants(of: getpid())
            if remaining.isEmpty { break }
            for pid in remaining { kill(pid, SIGKILL) }
            _ = waitUntil(timeout: 2) {
                _ = Processes.reapAll()
                return Self.descendants(of: getpid()).isEmpty
            }
        }
        _ = Processes.reapAll()
        let doomed = state.withLock { state -> [String] in
            defer { state.directories.removeAll() }
            return state.directories
        }
        for directory in doomed { removeTree(directory) }
    }

    /// Every live descendant of `root` (zombies excluded), found through /proc children lists.
    static func descendants(of root: Int32) -> [Int32] {
        var out: [Int32] = []
        var pending = DaemonProbe.children(root)
        var seen = Set<Int32>()
        while let pid = pending.popLast() {
            guard seen.insert(pid).inserted, let stat = ProcFS.stat(pid) else { continue }
            if stat.state != "Z" { out.append(pid) }
            pending += DaemonProbe.children(pid)
        }
        return out
    }
}
