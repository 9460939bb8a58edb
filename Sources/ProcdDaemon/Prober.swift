import ProcdCore
import ProcdPlatform

/// Readiness and liveness probes (`readiness_probe`, `liveness_probe`), as Kubernetes and
/// process-compose run them.
///
/// A readiness probe gates `online`: the process stays `launching` until it passes
/// (`ready`), so a reload keeps the old instance until the new one is ready and
/// `healthy` dependents wait for it. A liveness probe that fails `failure_threshold`
/// times in a row restarts the process with the reason (`restart`). Each process has at
/// most one probe in flight; an exec probe runs with the app's environment and cwd, its
/// output bounded and its process group killed at the timeout. Nothing is scheduled for
/// an app without probes, and a probe costs its period's one timer.
final class Prober {
    enum Kind: String { case readiness, liveness }

    /// What the prober asks of the daemon; all given at init.
    struct Wires {
        /// A readiness probe passed for the first time in this run.
        var ready: (ManagedProcess) -> Void
        /// A liveness probe failed its threshold: restart, with why.
        var restart: (ManagedProcess, String) -> Void
        /// Tells subscribers what a probe found (event `health`).
        var emit: (ManagedProcess, JSONObject) -> Void
        /// The environment a process of the app runs with.
        var environment: (ManagedProcess, AppSpec) -> [String: String]
    }

    /// A probe run in flight.
    private final class Run {
        let kind: Kind
        let processID: Int
        let round: Int
        var pid: Int32?
        var fd: OwnedFD?
        var token: UInt64?
        var output: [UInt8] = []
        var sent = false

        init(kind: Kind, processID: Int, round: Int) {
            self.kind = kind
            self.processID = processID
            self.round = round
        }
    }

    /// One process's probes: its tallies, the chain they belong to, what runs now.
    private struct Slot {
        var round: Int
        var readiness = Probe.Tally()
        var liveness = Probe.Tally()
        var run: Run?
        var ready = false
    }

    private let loop: EventLoop
    private let log: DaemonLog
    private let table: ProcessTable
    private let devNull: OwnedFD
    private let wires: Wires
    private var slots: [Int: Slot] = [:]
    private var lastRound = 0
    /// Probe output kept for the reason of a failure.
    static let outputLimit = 4096

    init(loop: EventLoop, log: DaemonLog, table: ProcessTable, devNull: OwnedFD, wires: Wires) {
        self.loop = loop
        self.log = log
        self.table = table
        self.devNull = devNull
        self.wires = wires
    }

    /// Whether the process's readiness probe has passed in this run (nil: it has none).
    func isReady(_ process: ManagedProcess) -> Bool? {
        guard table.app(process.appName)?.spec.readinessProbe != nil else { return nil }
        return slots[process.id]?.ready ?? false
    }

    /// Called after every lifecycle event: a spawn starts the process's probes, a process
    /// that no longer runs has them ended.
    func processChanged(_ process: ManagedProcess, spawned: Bool) {
        if !process.lifecycle.isRunning || process.lifecycle.status == .stopping {
            end(process.id)
            return
        }
        guard spawned, let spec = table.app(process.appName)?.spec else { return }
        end(process.id)
        guard spec.readinessProbe != nil || spec.livenessProbe != nil else { return }
        lastRound += 1
        slots[process.id] = Slot(round: lastRound)
        if let probe = spec.readinessProbe { schedule(.readiness, process.id, after: probe.initialDelay) }
        if let probe = spec.livenessProbe { schedule(.liveness, process.id, after: probe.initialDelay) }
    }

    /// A reaped pid that was a probe's; false when it is not one.
    func reaped(_ pid: Int32, _ status: ExitStatus) -> Bool {
        guard let (id, run) = slots.first(where: { $0.value.run?.pid == pid }).map({ ($0.key, $0.value.run) }), let run else {
            return false
        }
        run.pid = nil
        drain(run)
        finish(id, run, status == .code(0) ? .success(()) : .failure(ProbeFailure("\(status)" + tail(run.output))))
        return true
    }

    private func schedule(_ kind: Kind, _ id: Int, after delay: Duration) {
        guard let round = slots[id]?.round else { return }
        loop.schedule(at: Clock.now() + delay, isCurrent: { [weak self] _ in self?.slots[id]?.round == round }) { [weak self] _ in
            self?.fire(kind, id, round: round)
        }
    }

    private func probe(_ kind: Kind, _ spec: AppSpec) -> Probe? {
        kind == .readiness ? spec.readinessProbe : spec.livenessProbe
    }

    /// Runs one probe, unless another of the process's is still running (then this round
    /// is skipped); the next is scheduled a period later either way.
    private func fire(_ kind: Kind, _ id: Int, round: Int) {
        guard let process = table.process(id), let spec = table.app(process.appName)?.spec, let probe = probe(kind, spec),
              slots[id]?.round == round else { return }
        // A readiness probe that passed has done its work until the next start.
        if kind == .readiness && slots[id]?.ready == true { return }
        schedule(kind, id, after: probe.period)
        guard slots[id]?.run == nil else { return }
        let run = Run(kind: kind, processID: id, round: round)
        slots[id]?.run = run
        let started: Result<Void, ProbeFailure>
        switch probe.action {
        case .exec(let argv): started = exec(run, argv, process, spec)
        case .httpGet(_, let host, let port, let path, let headers): started = get(run, host: host, port: port, path: path, headers: headers)
        }
        if case .failure(let failure) = started {
            finish(id, run, .failure(failure))
            return
        }
        loop.schedule(at: Clock.now() + probe.timeout, isCurrent: { [weak self] _ in self?.slots[id]?.run === run }) { [weak self] _ in
            self?.timedOut(id, run, probe.timeout)
        }
    }

    private func timedOut(_ id: Int, _ run: Run, _ timeout: Duration) {
        if let pid = run.pid { _ = try? Processes.signalGroup(pid, Signals.kill) }
        finish(id, run, .failure(ProbeFailure("timed out after \(Probe.text(timeout))")))
    }

    /// Records a result, ends the run, and tells the daemon what changed.
    private func finish(_ id: Int, _ run: Run, _ result: Result<Void, ProbeFailure>) {
        guard slots[id]?.run === run else { return }
        close(run)
        slots[id]?.run = nil
        guard let process = table.process(id), let spec = table.app(process.appName)?.spec, let probe = probe(run.kind, spec) else { return }
        let change: Probe.Tally.Change?
        if run.kind == .readiness { change = slots[id]?.readiness.record(result, probe) } else { change = slots[id]?.liveness.record(result, probe) }
        switch (run.kind, change) {
        case (.readiness, .passed?):
            slots[id]?.ready = true
            wires.emit(process, ["probe": .string("readiness"), "passed": .bool(true)])
            wires.ready(process)
        case (.liveness, .failed(let why)?):
            wires.emit(process, ["probe": .string("liveness"), "passed": .bool(false), "reason": .string(why)])
            wires.restart(process, "liveness probe \(why)")
        case (.readiness, .failed(let why)?):
            wires.emit(process, ["probe": .string("readiness"), "passed": .bool(false), "reason": .string(why)])
            log.info("\(process.label): readiness probe \(why)")
        default:
            break
        }
    }

    private func end(_ id: Int) {
        if let run = slots[id]?.run {
            if let pid = run.pid { _ = try? Processes.signalGroup(pid, Signals.kill) }
            close(run)
        }
        slots[id] = nil
    }

    private func close(_ run: Run) {
        if let token = run.token, let fd = run.fd { loop.unwatch(fd.raw, token: token) }
        run.token = nil
        run.fd?.close()
        run.fd = nil
    }

    private func tail(_ output: [UInt8]) -> String {
        let text = String(decoding: output.suffix(200), as: UTF8.self).split(whereSeparator: \.isNewline).last.map(String.init) ?? ""
        return text.isEmpty ? "" : " (\(text))"
    }

    // MARK: exec

    private func exec(_ run: Run, _ argv: [String], _ process: ManagedProcess, _ spec: AppSpec) -> Result<Void, ProbeFailure> {
        let env = wires.environment(process, spec)
        guard let program = argv.first, let path = Spawn.resolve(program, searchPath: env["PATH"], cwd: spec.cwd) else {
            return .failure(ProbeFailure("'\(argv.first ?? "")' is not found on the app's PATH"))
        }
        do {
            let pipe = try Pipe(nonBlockingRead: true)
            let request = Spawn.Request(path: path, argv: argv, env: env.map { "\($0.key)=\($0.value)" }, cwd: spec.cwd,
                                        descriptors: [devNull.raw, pipe.writeEnd.raw, pipe.writeEnd.raw])
            run.pid = try Spawn.spawn(request)
            pipe.writeEnd.close()
            // Read once the probe has exited (its output waits in the pipe), so a run costs
            // the loop its timer and the exit, not a wake-up per write.
            run.fd = pipe.readEnd
            return .success(())
        } catch {
            return .failure(ProbeFailure("cannot run: \(error)"))
        }
    }

    /// Reads what the probe wrote, keeping the last `outputLimit` bytes (a probe that
    /// writes more than a pipe holds blocks, and its timeout ends it).
    private func drain(_ run: Run) {
        guard let fd = run.fd else { return }
        while true {
            guard let result = try? fd.read(into: loop.scratch), case .bytes(let n) = result else { break }
            run.output += loop.scratch.prefix(n)
            if run.output.count > Self.outputLimit { run.output.removeFirst(run.output.count - Self.outputLimit) }
        }
    }

    // MARK: http_get

    private func get(_ run: Run, host: String, port: Int, path: String, headers: [String: String]) -> Result<Void, ProbeFailure> {
        let address = host == "localhost" ? "127.0.0.1" : host
        let fd: OwnedFD
        do {
            fd = try Sockets.connectTCP(host: address, port: port)
        } catch {
            return .failure(ProbeFailure("cannot connect to \(host):\(port): \(error.reason)"))
        }
        run.fd = fd
        var request = "GET \(path) HTTP/1.0\r\nHost: \(host):\(port)\r\nUser-Agent: procd-probe\r\n"
        for (name, value) in headers.sorted(by: { $0.key < $1.key }) { request += "\(name): \(value)\r\n" }
        let bytes = Array((request + "\r\n").utf8)
        do {
            run.token = try loop.watch(fd.raw, [.writable, .readable, .peerClosed]) { [weak self, run] _ in
                self?.exchange(run, bytes, host: host, port: port)
            }
        } catch {
            return .failure(ProbeFailure("\(error)"))
        }
        return .success(())
    }

    private func exchange(_ run: Run, _ request: [UInt8], host: String, port: Int) {
        guard let fd = run.fd else { return }
        if !run.sent {
            if let error = Sockets.pendingError(fd) {
                finish(run.processID, run, .failure(ProbeFailure("cannot connect to \(host):\(port): \(error.reason)")))
                return
            }
            _ = try? request.withUnsafeBytes { try fd.write($0) }
            run.sent = true
            if let token = run.token { loop.change(fd.raw, [.readable, .peerClosed], token: token) }
            return
        }
        var ended = false
        while true {
            guard let result = try? fd.read(into: loop.scratch) else { ended = true; break }
            switch result {
            case .bytes(let n): run.output += loop.scratch.prefix(n)
            case .endOfFile: ended = true
            case .wouldBlock: break
            }
            if case .bytes = result, run.output.count < 512 { continue }
            break
        }
        guard let line = String(decoding: run.output, as: UTF8.self).split(separator: "\r\n").first, line.hasPrefix("HTTP/"),
              run.output.contains(UInt8(ascii: "\n")) || ended else {
            if ended { finish(run.processID, run, .failure(ProbeFailure("no HTTP answer"))) }
            return
        }
        let code = line.split(separator: " ").dropFirst().first.flatMap { Int($0) } ?? 0
        finish(run.processID, run, (200...399).contains(code) ? .success(()) : .failure(ProbeFailure("HTTP \(code)")))
    }
}
