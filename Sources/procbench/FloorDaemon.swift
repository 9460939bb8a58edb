import Dispatch
import Foundation
import Synchronization

/// The bare floor: a supervisor that only posix_spawns and waits (`procbench floor-daemon`).
///
/// It reads commands on stdin, one a line, tab-separated, and answers `ok` on stdout:
/// `start N PATH ARG…` spawns N copies at once; `stop` SIGTERMs every child and answers
/// once all are reaped. A second thread blocks in waitpid(-1) and respawns a child the
/// moment it ends. Nothing else happens: no logs, no table, no timers. End of stdin
/// stops everything and exits.
enum FloorDaemon {
    static func run() -> Never {
        let floor = FloorState()
        startThread { floor.reapForever() }
        while let line = readLine(strippingNewline: true) {
            let words = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            switch words.first {
            case "start" where words.count >= 3:
                let count = Int(words[1]) ?? 0
                let failures = floor.start(count: count, argv: Array(words[2...]))
                answer(failures == 0 ? "ok" : "error: \(failures) spawns failed")
            case "stop":
                floor.stopAll()
                answer("ok")
            default:
                answer("error: unknown command")
            }
        }
        floor.stopAll()
        exit(0)
    }

    private static func answer(_ text: String) {
        let bytes = Array((text + "\n").utf8)
        _ = bytes.withUnsafeBytes { write(1, $0.baseAddress, $0.count) }
    }
}

/// A prepared posix_spawn(3) call: C strings and file actions built once, reused on respawn.
///
/// Sendable because nothing in it changes after `init`: posix_spawn only reads the argv
/// array and the file actions, so the threads that spawn from it share read-only memory.
final class SpawnPlan: @unchecked Sendable {
    private let argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>
    private let count: Int
    private var actions = posix_spawn_file_actions_t()

    init(argv: [String]) {
        count = argv.count
        self.argv = .allocate(capacity: argv.count + 1)
        for (i, word) in argv.enumerated() { self.argv[i] = strdup(word) }
        self.argv[argv.count] = nil
        // stdin, stdout and stderr on /dev/null: stdout is the floor's answer pipe.
        posix_spawn_file_actions_init(&actions)
        for fd: Int32 in 0...2 {
            posix_spawn_file_actions_addopen(&actions, fd, "/dev/null", fd == 0 ? O_RDONLY : O_WRONLY, 0)
        }
    }

    /// Spawns one copy; nil when posix_spawn fails.
    func spawn() -> Int32? {
        var pid: pid_t = 0
        let code = posix_spawn(&pid, argv[0]!, &actions, nil, argv, environ)
        return code == 0 ? pid : nil
    }

    deinit {
        posix_spawn_file_actions_destroy(&actions)
        for i in 0..<count { free(argv[i]) }
        argv.deallocate()
    }
}

/// The floor's children and what to run again when one ends, under one lock.
final class FloorState: Sendable {
    private struct Table {
        var children: [Int32: SpawnPlan] = [:]
        var isStopping = false
    }
    private let table = Mutex(Table())
    /// Signalled by `start`: the reaper waits on it while there is no child at all.
    private let started = DispatchSemaphore(value: 0)
    /// Signalled by the reaper when the last child of a stop is reaped.
    private let stopped = DispatchSemaphore(value: 0)

    /// Spawns `count` copies; returns how many spawns failed.
    func start(count: Int, argv: [String]) -> Int {
        let plan = SpawnPlan(argv: argv)
        let failures = table.withLock { table in
            var failures = 0
            for _ in 0..<count {
                if let pid = plan.spawn() { table.children[pid] = plan } else { failures += 1 }
            }
            return failures
        }
        started.signal()
        return failures
    }

    /// SIGTERMs every child and waits until the reaper has seen all of them end.
    func stopAll() {
        let waits = table.withLock { table in
            guard !table.children.isEmpty else { return false }
            table.isStopping = true
            for pid in table.children.keys { kill(pid, SIGTERM) }
            return true
        }
        if waits { stopped.wait() }
        table.withLock { $0.isStopping = false }
    }

    /// Blocks in waitpid(2) forever, respawning each child that ends unless stopping.
    func reapForever() -> Never {
        while true {
            var status: Int32 = 0
            let pid = waitpid(-1, &status, 0)
            if pid < 0 {
                if errno == ECHILD { started.wait() }        // no child yet: wait for a start
                continue
            }
            let isLast = table.withLock { table in
                guard let plan = table.children.removeValue(forKey: pid) else { return false }
                if !table.isStopping, let again = plan.spawn() { table.children[again] = plan }
                return table.isStopping && table.children.isEmpty
            }
            if isLast { stopped.signal() }
        }
    }
}
