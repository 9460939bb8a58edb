import ProcdCore
import ProcdPlatform

/// Descendants of a process that left its process group: a child that called setsid(2),
/// a double fork, a program that forks into the background. A signal to the group misses
/// them, so they are found and signalled one by one. procd is the child subreaper: once
/// their parent is gone they are procd's own children, and the `PROCD_ID` in their
/// environment says whose they are.
extension Daemon {
    /// The pids of `process`'s descendants outside its process group, leaders first.
    func strays(of process: ManagedProcess) -> [Int32] {
        var pending = adoptedChildren(of: process)
        if let pid = process.pid { pending += ProcFS.children(pid) }
        var found: [Int32] = []
        var seen = Set<Int32>()
        // Bounded: a fork bomb must not stall the loop.
        while let pid = pending.popLast(), seen.count < 4096 {
            guard seen.insert(pid).inserted, let stat = ProcFS.stat(pid), stat.state != "Z" else { continue }
            if stat.pgrp != process.pgid { found.append(pid) }
            pending += ProcFS.children(pid)
        }
        return found
    }

    /// Whether anything of the process still runs: its group, or a stray.
    func treeAlive(_ process: ManagedProcess) -> Bool {
        (process.pgid.map(Processes.groupExists) ?? false) || !strays(of: process).isEmpty
    }

    /// Sends `signal` to the strays of `process`: to the group of each that leads one.
    func signalStrays(_ process: ManagedProcess, _ signal: Int32) {
        for pid in strays(of: process) {
            if ProcFS.stat(pid)?.pgrp == pid {
                _ = try? Processes.signalGroup(pid, signal)
            } else {
                _ = try? Processes.signal(pid, signal)
            }
        }
    }

    /// Children procd adopted (their parent died) that are this process's: they carry its
    /// id, or, for programs that write their process title over their environment (nginx)
    /// and so lose the marker, they started while it ran.
    private func adoptedChildren(of process: ManagedProcess) -> [Int32] {
        // procd's children that are no app's main process nor a retiree, read once a turn:
        // a stop of a thousand apps must not read the list a thousand times.
        adopted.read { ProcFS.children(Processes.currentPid).filter { !table.isSlotPid($0) && !retirees.contains($0) } }.filter { pid in
            guard !table.isSlotPid(pid), !retirees.contains(pid) else { return false }
            if let environ = ProcFS.environment(pid), let id = ProcessMarker.processID(environ: environ, home: home.root) {
                return id == process.id
            }
            guard let since = process.pidStart?.ticks, let start = ProcFS.stat(pid)?.startTime else { return false }
            return start >= since
        }
    }

    /// The main process exited 0 soon after it started while a descendant it left runs
    /// on: the program put itself in the background (nginx, redis-server, most daemons by
    /// default), where procd can neither see its exit nor stop it with its group.
    func forkedIntoBackground(_ process: ManagedProcess, _ status: ExitStatus) -> [Int32]? {
        guard status == .code(0), process.lifecycle.status == .online || process.lifecycle.status == .launching,
              let started = process.lifecycle.startedAt,
              Clock.now() - started < max(process.lifecycle.policy.minUptime, .seconds(2)) else { return nil }
        let left = strays(of: process)
        return left.isEmpty ? nil : left
    }

    /// The reason an app that forked into the background ends errored with.
    static func backgroundReason(_ program: String, _ pids: [Int32]) -> String {
        let name = program.split(separator: "/").last.map(String.init) ?? program
        let hint: String
        switch name {
        case "nginx": hint = "nginx -g 'daemon off;'"
        case "redis-server": hint = "redis-server --daemonize no"
        case "memcached": hint = "memcached without -d"
        case "apache2", "httpd": hint = "\(name) -DFOREGROUND"
        case "php-fpm", "php-fpm8.2": hint = "\(name) --nodaemonize"
        default: hint = "its foreground option (often --foreground, --no-daemon or -f)"
        }
        let list = pids.prefix(3).map(String.init).joined(separator: ", ")
        return "the program forked into the background and exited (pid \(list) ran on); "
            + "procd stopped what it left and needs programs in the foreground: run \(hint)"
    }

    /// Stops what a program left in the background as procd stops a retired process: its
    /// kill signal to each group now, SIGKILL after its kill timeout.
    func stopLeftBehind(_ pids: [Int32], of process: ManagedProcess) {
        let policy = process.lifecycle.policy
        for pid in pids {
            guard ProcFS.stat(pid)?.pgrp == pid, ProcFS.stat(pid)?.ppid == Processes.currentPid else {
                _ = try? Processes.signal(pid, policy.killSignal)
                continue
            }
            retirees.add(Retiree(pid: pid, slot: process.id, label: "\(process.label) (left in the background)",
                                 killSignal: policy.killSignal, killTimeout: policy.killTimeout, channel: nil))
            retirees.stop(pid)
        }
    }
}

/// procd's children that are no app's main process: read at most once a turn, since a stop
/// of a thousand apps must not list /proc a thousand times; forgotten when a turn ends or
/// a child exits.
final class AdoptedChildren {
    private var cached: [Int32]?

    func read(_ list: () -> [Int32]) -> [Int32] {
        if let cached { return cached }
        let children = list()
        cached = children
        return children
    }

    func forget() { cached = nil }
}
