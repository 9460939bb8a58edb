import Foundation
import Testing

/// `procctl monit` in a real terminal: tmux gives it a pty of 120×30, the test reads the
/// screen with `capture-pane` and types with `send-keys`.
@Suite("Monit in a terminal", .serialized, .timeLimit(.minutes(1)))
struct MonitTests {
    static let tmux = ["/usr/bin/tmux", "/usr/local/bin/tmux", "/bin/tmux"].first { FileManager.default.isExecutableFile(atPath: $0) }

    @Test(.enabled(if: tmux != nil, "tmux is not installed; apt-get install tmux to run the monit tests"))
    func keysSelectRestartAndQuit() throws {
        try withSandbox { sandbox in
            #expect(sandbox.startFixture("alpha", []).status == 0)
            #expect(sandbox.startFixture("beta", []).status == 0)
            let alpha = try #require(try sandbox.waitForStatus("alpha", "online").first)
            let beta = try #require(try sandbox.waitForStatus("beta", "online").first)
            #expect(alpha.id < beta.id)

            let session = try TmuxSession(sandbox, tmux: #require(Self.tmux))
            defer { session.close() }
            try session.open(["env", "-u", "NO_COLOR", "PROCD_HOME=\(sandbox.home)", Binaries.procctl, "monit"])

            var screen = ""
            let shown = sandbox.waitUntil(timeout: .seconds(10)) {
                screen = session.capture()
                return screen.contains("alpha") && screen.contains("beta") && screen.contains("online")
            }
            #expect(shown, "monit never showed both apps online:\n\(screen)")
            #expect(session.selectedRow().contains("alpha"), "the first process is not selected at start:\n\(screen)")

            // j moves the selection down to beta; r restarts beta and only beta.
            session.send("j")
            #expect(sandbox.waitUntil(timeout: .seconds(5)) { session.selectedRow().contains("beta") },
                    "j did not select beta:\n\(session.capture())")
            session.send("r")
            #expect(try sandbox.waitUntil(timeout: .seconds(10)) { try restarts(sandbox, "beta") == 1 },
                    "r did not restart beta:\n\(session.capture())\n\(sandbox.diagnostics)")
            #expect(try restarts(sandbox, "alpha") == 0)
            try sandbox.waitForStatus("beta", "online")

            // k moves back up to alpha; r restarts alpha.
            session.send("k")
            #expect(sandbox.waitUntil(timeout: .seconds(5)) { session.selectedRow().contains("alpha") },
                    "k did not select alpha:\n\(session.capture())")
            session.send("r")
            #expect(try sandbox.waitUntil(timeout: .seconds(10)) { try restarts(sandbox, "alpha") == 1 },
                    "r did not restart alpha:\n\(session.capture())")
            #expect(try restarts(sandbox, "beta") == 1)
            #expect(sandbox.waitUntil(timeout: .seconds(5)) { session.capture().contains("restarted alpha") },
                    "no confirmation on screen:\n\(session.capture())")

            // q quits: the program exits, so tmux ends the session with it.
            session.send("q")
            #expect(sandbox.waitUntil(timeout: .seconds(5)) { !session.isAlive }, "monit did not exit on q:\n\(session.capture())")
            #expect(sandbox.procctl("ping").status == 0)
        }
    }

    @Test(.enabled(if: tmux != nil, "tmux is not installed; apt-get install tmux to run the monit tests"))
    func noColorLeavesProcessRowsWithoutEscapes() throws {
        try withSandbox { sandbox in
            #expect(sandbox.startFixture("plain", []).status == 0)
            try sandbox.waitForStatus("plain", "online")

            // First with colour: the status cell is painted, so the check below can see escapes.
            let coloured = try TmuxSession(sandbox, tmux: #require(Self.tmux))
            defer { coloured.close() }
            try coloured.open(["env", "-u", "NO_COLOR", "PROCD_HOME=\(sandbox.home)", Binaries.procctl, "monit"])
            var rows: [Substring] = []
            let painted = sandbox.waitUntil(timeout: .seconds(10)) {
                rows = coloured.capture(escapes: true).split(separator: "\n").filter { $0.contains("plain") && $0.contains("online") }
                return rows.contains { $0.contains("\u{1B}[") }
            }
            #expect(painted, "without NO_COLOR the process row has no colour: \(rows)")
            coloured.send("q")
            #expect(sandbox.waitUntil(timeout: .seconds(5)) { !coloured.isAlive })

            let plain = try TmuxSession(sandbox, tmux: #require(Self.tmux))
            defer { plain.close() }
            try plain.open(["env", "NO_COLOR=1", "PROCD_HOME=\(sandbox.home)", Binaries.procctl, "monit"])
            var screen = ""
            let shown = sandbox.waitUntil(timeout: .seconds(10)) {
                screen = plain.capture(escapes: true)
                return screen.contains("plain") && screen.contains("online")
            }
            #expect(shown, "monit never showed the app:\n\(screen)")
            rows = screen.split(separator: "\n").filter { $0.contains("plain") && $0.contains("online") }
            #expect(!rows.isEmpty)
            for row in rows {
                #expect(!row.contains("\u{1B}"), "NO_COLOR=1, yet the row holds escapes: \(row.debugDescription)")
            }
            plain.send("q")
            #expect(sandbox.waitUntil(timeout: .seconds(5)) { !plain.isAlive }, "monit did not exit on q")
        }
    }

    private func restarts(_ sandbox: Sandbox, _ name: String) throws -> Int? {
        try sandbox.processes(named: name).first?.restarts
    }
}

/// One detached tmux session on a private server (its socket in the sandbox), 120×30.
final class TmuxSession {
    let sandbox: Sandbox
    let tmux: String
    let socket: String
    let name: String
    private static let counter = Counter()

    init(_ sandbox: Sandbox, tmux: String) throws {
        self.sandbox = sandbox
        self.tmux = tmux
        let n = Self.counter.next()
        socket = sandbox.root + "/tmux-\(n).sock"
        name = "procd-monit-\(getpid())-\(n)"
    }

    /// Starts `command` (run directly, without a shell) in the session.
    func open(_ command: [String]) throws {
        let result = run(["new-session", "-d", "-s", name, "-x", "120", "-y", "30"] + command)
        guard result.status == 0 else { throw SandboxError("tmux new-session failed: \(result)") }
    }

    /// The visible pane as text; with `escapes`, with its colours and attributes.
    func capture(escapes: Bool = false) -> String {
        run(["capture-pane", "-p"] + (escapes ? ["-e"] : []) + ["-t", name]).stdout
    }

    /// The process row marked as selected (`>` in the first column), or "".
    func selectedRow() -> String {
        capture().split(separator: "\n").first { $0.hasPrefix(">") }.map(String.init) ?? ""
    }

    func send(_ keys: String) {
        _ = run(["send-keys", "-t", name, "-l", keys])
    }

    /// True while the session exists, that is while its program runs.
    var isAlive: Bool { run(["has-session", "-t", name]).status == 0 }

    /// Ends the session and its private server, whatever state they are in.
    func close() {
        _ = run(["kill-session", "-t", name])
        _ = run(["kill-server"])
    }

    /// Runs the tmux client to its end. Not through `Sandbox.run`: Foundation's `Process`
    /// learns of an exit when a socket it hands the child closes, and the tmux server the
    /// first client forks would keep that socket open for its whole life. posix_spawn with
    /// every descriptor above 2 closed leaves the server nothing of the test's.
    @discardableResult
    private func run(_ arguments: [String]) -> CommandResult {
        let outPath = sandbox.work + "/io/tmux.out"
        let errPath = sandbox.work + "/io/tmux.err"
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, errPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        // glibc ignores a close action on a descriptor that is not open, so a race is harmless.
        let open = ((try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []).compactMap { Int32($0) }
        for fd in open where fd > 2 { posix_spawn_file_actions_addclose(&actions, fd) }
        let argv = [tmux, "-S", socket] + arguments
        let env = sandbox.environment.map { "\($0.key)=\($0.value)" }
        var cArgv = argv.map { strdup($0) } + [nil]
        var cEnv = env.map { strdup($0) } + [nil]
        defer { for p in cArgv + cEnv { free(p) } }
        var pid: pid_t = 0
        guard posix_spawn(&pid, tmux, &actions, nil, &cArgv, &cEnv) == 0 else {
            return CommandResult(stdout: "", stderr: "unable to spawn \(tmux)", status: -1)
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let exited = status & 0x7F == 0
        return CommandResult(stdout: sandbox.read(outPath), stderr: sandbox.read(errPath),
                             status: exited ? (status >> 8) & 0xFF : -1)
    }

    final class Counter: @unchecked Sendable {
        private let lock = NSLock()
        private var value = 0
        func next() -> Int {
            lock.lock()
            defer { lock.unlock() }
            value += 1
            return value
        }
    }
}
