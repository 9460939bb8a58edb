import ProcdCore
import ProcdPlatform

/// Descendants of a process that left its process group: a child that called setsid(2),
/// a double fork, a program that forks into the background. A signal to the group misses
/// them, so they are found and signalled one by one. procd is the child subreaper: once
/// their parent is gone they are procd's own children, and the `PROCD_ID` in their
/// environment says whose they are.
extension Daemon {
    /// The pids of `process`'s descendants outside its process group, leaders first; with
    /// `includingGroup`, those still in its group too (a plain `&` child, or a `setsid`
    /// child caught before its setsid call).
    func strays(of process: ManagedProcess, includingGroup: Bool = false) -> [Int32] {
        var pending = adoptedChildren(of: process)
        if let pid = process.pid { pending += ProcFS.children(pid) }
        var found: [Int32] = []
        var seen = Set<Int32>()
        // Bounded: a fork bomb must not stall the loop.
        while let pid = pending.popLast(), seen.count < 4096 {
            guard seen.insert(pid).inserted, let stat = ProcFS.stat(pid), stat.state != "Z" else { continue }
            if includingGroup || stat.pgrp != process.pgid { found.append(pid) }
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
        // procd's children that are no app's main process, retiree, probe or stop command,
        // read once a turn: a stop of a thousand apps must not read the list a thousand times.
        let ownChildren = { [table, retirees, prober, stopCommands] (pid: Int32) in
            !table.isSlotPid(pid) && !retirees.contains(pid) && !prober.isProbe(pid) && !stopCommands.isStopCommand(pid)
        }
        return adopted.read { ProcFS.children(Processes.currentPid).filter(ownChildren) }.filter { pid in
            guard ownChildren(pid) else { return false }
            if let environ = ProcFS.environment(pid), let id = ProcessMarker.processID(environ: environ, home: startup.home.root) {
                return id == process.id
            }
            guard let since = process.pidStart?.ticks, let start = ProcFS.stat(pid)?.startTime else { return false }
            return start >= since
        }
    }

    /// The main process exited 0 soon after it started while a descendant it left runs
    /// on: the program put itself in the background (nginx, redis-server, most daemons by
    /// default; a shell script's `cmd &`, `setsid cmd &`, a double fork), where procd can
    /// neither see its exit nor stop it with its group. Whatever way it forked, what it
    /// left is procd's child by now (procd is the child subreaper, and the kernel
    /// reparents orphans before it tells the parent of the exit), in the group or not.
    func forkedIntoBackground(_ process: ManagedProcess, _ status: ExitStatus) -> [Int32]? {
        guard status == .code(0), process.lifecycle.status == .online || process.lifecycle.status == .launching,
              let started = process.lifecycle.startedAt,
              Clock.now() - started < Self.backgroundWindow(process.lifecycle.policy) else { return nil }
        let left = strays(of: process, includingGroup: true)
        return left.isEmpty ? nil : left
    }

    /// How long a `start` waits at least for its verdict on each process it started.
    static let verdictWindow: Duration = .milliseconds(20)

    /// How long after its start an exit 0 that leaves descendants running counts as a
    /// program forking into the background.
    static func backgroundWindow(_ policy: RestartPolicy) -> Duration {
        max(policy.minUptime, .seconds(2))
    }

    /// For a `start` waiting for its verdict: nil once `process` is past the point where
    /// it could still be a program about to fork into the background, else the tick to
    /// look again. A process that has run `verdictWindow`, is idle and has no descendant
    /// is taken to stay in the foreground; one that is still busy or has forked is looked
    /// at again, up to `min_uptime` after its start.
    func verdictPending(_ process: ManagedProcess, at now: Tick) -> Tick? {
        guard process.lifecycle.status == .online, let started = process.lifecycle.startedAt, let pid = process.pid else { return nil }
        let limit = started + process.lifecycle.policy.minUptime
        guard now < limit else { return nil }
        let age = now - started
        if age >= Self.verdictWindow {
            let busy = ProcFS.stat(pid).map { $0.state == "R" || $0.state == "D" } ?? false
            if !busy && strays(of: process, includingGroup: true).isEmpty { return nil }
        }
        // Looked at again at 20, 40, 80… ms of age: a few wake-ups during a start only.
        var next = Self.verdictWindow
        while next <= age { next = next * 2 }
        return min(started + next, limit)
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
    /// kill signal to each group now, SIGKILL after its kill timeout. What stayed in the
    /// app's own group (`group`, its leader gone) gets the same, through that group.
    func stopLeftBehind(_ pids: [Int32], of process: ManagedProcess, group: Int32?) {
        let policy = process.lifecycle.policy
        var inGroup = false
        // Signalled by pid as well, and killed by pid at the kill timeout: one may leave the
        // group (setsid) between the look at it and the signal to the group.
        var signalled: [(pid: Int32, start: Int64?)] = []
        for pid in pids {
            let stat = ProcFS.stat(pid)
            if let group, stat?.pgrp == group {
                inGroup = true
                signalled.append((pid, stat?.startTime))
                continue
            }
            guard stat?.pgrp == pid, stat?.ppid == Processes.currentPid else {
                signalled.append((pid, stat?.startTime))
                continue
            }
            retirees.add(Retiree(pid: pid, slot: process.id, label: "\(process.label) (left in the background)",
                                 killSignal: policy.killSignal, killTimeout: policy.killTimeout, channel: nil))
            retirees.stop(pid)
        }
        if inGroup, let group { _ = try? Processes.signalGroup(group, policy.killSignal) }
        for member in signalled { _ = try? Processes.signal(member.pid, policy.killSignal) }
        guard !signalled.isEmpty else { return }
        // The same process still, not a new one that took its pid.
        let remaining = { signalled.filter { member in ProcFS.stat(member.pid).map { $0.startTime == member.start && $0.state != "Z" } ?? false } }
        loop.schedule(at: Clock.now() + policy.killTimeout,
                      isCurrent: { _ in (inGroup && group.map(Processes.groupExists) == true) || !remaining().isEmpty }) { _ in
            if inGroup, let group { _ = try? Processes.signalGroup(group, Signals.kill) }
            for member in remaining() { _ = try? Processes.signal(member.pid, Signals.kill) }
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
