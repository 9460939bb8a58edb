import Foundation
import ProcdPlatform

/// supervisord from PyPI, installed into a throwaway virtualenv once per run.
struct Supervisor: Sendable {
    var bin: String

    /// `python3 -m venv` + `pip install supervisor` under a temporary directory;
    /// the reason it could not be installed otherwise.
    static func install() -> Result<Supervisor, BenchError> {
        do {
            let root = try TemporaryDirectory.make("pbsv")
            guard let python = Spawn.resolve("python3", searchPath: Environment.get("PATH"), cwd: "/") else {
                return .failure(BenchError("python3 is not on PATH"))
            }
            try Command.check([python, "-m", "venv", root + "/venv"])
            try Command.check([root + "/venv/bin/python", "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "supervisor"])
            let bin = root + "/venv/bin"
            guard File.isExecutable(bin + "/supervisord"), File.isExecutable(bin + "/supervisorctl") else {
                return .failure(BenchError("pip installed supervisor but no supervisord appeared in \(bin)"))
            }
            return .success(Supervisor(bin: bin))
        } catch let error as BenchError {
            return .failure(error)
        } catch {
            return .failure(BenchError("\(error)"))
        }
    }
}

/// supervisord, driven through `supervisorctl`. Its programs must be declared up front,
/// so `launch` writes one config declaring every app the figures use, none autostarted.
final class SupervisordManager: Manager {
    let name = "supervisord"
    let capturesLogs = true
    private let supervisor: Supervisor
    private let binaries: Binaries
    private let directory: String
    private let apps: [String: Workload]
    private(set) var daemonPid: Int32?

    init(supervisor: Supervisor, binaries: Binaries, directory: String, apps: [String: Workload]) {
        self.supervisor = supervisor
        self.binaries = binaries
        self.directory = directory
        self.apps = apps
    }

    private var config: String { directory + "/supervisord.conf" }

    func launch() throws {
        try File.writeAtomically(config, configuration())
        let pid = try Command.spawn([supervisor.bin + "/supervisord", "--configuration", config, "--nodaemon"], cwd: directory)
        daemonPid = pid
        let ctl = [supervisor.bin + "/supervisorctl", "--configuration", config]
        Sweeper.shared.onSweep {
            guard Processes.exists(pid) else { return }
            if let pid = try? Command.spawn(ctl + ["shutdown"]) {
                _ = waitUntil(timeout: 10, interval: .milliseconds(5)) { Command.hasEnded(pid) }
            }
        }
        let ready = try waitUntil(timeout: 30, interval: .milliseconds(20)) {
            if Command.hasEnded(pid) { throw BenchError("supervisord exited at start; see \(directory)/supervisord.log") }
            return File.exists(directory + "/supervisor.sock") && (try? status()) != nil
        }
        if !ready { throw BenchError("supervisord did not answer within 30 s; see \(directory)/supervisord.log") }
    }

    func start(_ app: String, _ workload: Workload) throws {
        try ctl(["start", app + ":*"])
    }

    func onlineCount(_ app: String) throws -> Int {
        try status().filter { $0.name.hasPrefix(app + ":") || $0.name == app }.filter { $0.state == "RUNNING" }.count
    }

    func listRoundTrip() throws -> Double {
        let outcome = try Command.timed(ctlArgv(["status"]))
        // 3 means some program is not running, which is expected: the others are not started.
        guard outcome.status == 0 || outcome.status == 3 else { throw BenchError("supervisorctl status exited with \(outcome.status)") }
        return outcome.elapsed
    }

    func stopAll() throws {
        try ctl(["stop", "all"])
        if let pid = daemonPid { _ = waitUntil(timeout: 60, interval: .microseconds(500)) { DaemonProbe.liveChildren(pid) == 0 } }
        let settled = try waitUntil(timeout: 60, interval: .milliseconds(10)) {
            try status().allSatisfy { !["RUNNING", "STARTING", "STOPPING", "BACKOFF"].contains($0.state) }
        }
        if !settled { throw BenchError("supervisord: processes still running 60 s after 'supervisorctl stop all'") }
    }

    func removeAll() throws {}

    func logPath(_ app: String) -> String? { directory + "/\(app).log" }

    func shutdown() {
        guard let pid = daemonPid else { return }
        _ = try? Command.run(ctlArgv(["shutdown"]))
        if !waitUntil(timeout: 10, { Command.hasEnded(pid) }) {
            _ = try? Processes.signal(pid, SIGKILL)
            Command.wait(pid)
        }
        daemonPid = nil
    }

    /// Program name and state from each line of `supervisorctl status`.
    private func status() throws -> [(name: String, state: String)] {
        let outcome = try Command.run(ctlArgv(["status"]))
        guard outcome.status == 0 || outcome.status == 3 else {
            throw BenchError("supervisorctl status exited with \(outcome.status): \(outcome.output.prefix(300))")
        }
        return outcome.output.split(separator: "\n").compactMap { line in
            let words = line.split(separator: " ", omittingEmptySubsequences: true)
            return words.count >= 2 ? (String(words[0]), String(words[1])) : nil
        }
    }

    private func ctlArgv(_ arguments: [String]) -> [String] {
        [supervisor.bin + "/supervisorctl", "--configuration", config] + arguments
    }

    @discardableResult
    private func ctl(_ arguments: [String]) throws -> Command.Outcome {
        try Command.check(ctlArgv(arguments))
    }

    /// The config: every app declared, none started, restarts immediate, logs in `directory`.
    private func configuration() -> String {
        var text = """
            [unix_http_server]
            file=\(directory)/supervisor.sock
            chmod=0700

            [supervisord]
            logfile=\(directory)/supervisord.log
            pidfile=\(directory)/supervisord.pid
            childlogdir=\(directory)
            nodaemon=true

            [rpcinterface:supervisor]
            supervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface

            [supervisorctl]
            serverurl=unix://\(directory)/supervisor.sock

            """
        for (app, workload) in apps.sorted(by: { $0.key < $1.key }) {
            if case .apps(let count) = workload {
                text += fleet(app, count: count, workload)
                continue
            }
            // One log file per process, so no two processes append to the same file.
            let log = workload.count == 1 ? app : app + "_%(process_num)d"
            text += program(app, workload, log: log, extra: """
                process_name=%(program_name)s_%(process_num)d
                numprocs=\(workload.count)
                startretries=1000
                """)
        }
        return text
    }

    /// One `[program:NAME]` section: not autostarted, restarted at once, logs in `directory`.
    private func program(_ name: String, _ workload: Workload, log: String, extra: String = "") -> String {
        """

        [program:\(name)]
        command=\(([binaries.fixture] + workload.arguments).joined(separator: " "))
        autostart=false
        autorestart=\(workload.restarts ? "true" : "false")
        startsecs=0
        stopsignal=TERM
        stdout_logfile=\(directory)/\(log).log
        stdout_logfile_maxbytes=0
        stdout_logfile_backups=0
        stderr_logfile=\(directory)/\(log)-err.log
        stderr_logfile_maxbytes=0
        \(extra)

        """
    }

    /// `count` programs of one process each, in a group named `app`, so that
    /// `supervisorctl start app:*` starts them all with one command.
    private func fleet(_ app: String, count: Int, _ workload: Workload) -> String {
        let names = (0..<count).map { "\(app)-\($0)" }
        var text = "\n[group:\(app)]\nprograms=\(names.joined(separator: ","))\n"
        for name in names { text += program(name, workload, log: name) }
        return text
    }
}
