import ProcdCore
import ProcdPlatform

/// Readiness and liveness probes (`readiness_probe`, `liveness_probe`), as Kubernetes and
/// process-compose run them.
///
/// A readiness probe gates `online`: the process stays `launching` until it passes
/// (`probePassed`), so a reload keeps the old instance until the new one is ready and
/// `healthy` dependents wait for it. Once online it goes on running: failures past its
/// threshold mark the process not ready (`isReady`, event `health`) without restarting
/// it, and passes mark it ready again. A liveness probe that fails `failure_threshold`
/// times in a row restarts the process with the reason (`restart`). Each process has at
/// most one probe in flight (the other waits for it to end); an exec probe runs as the
/// app does (environment, cwd, user), its output bounded and its process group killed at
/// the timeout. Nothing is scheduled for an app without probes, and a probe costs its
/// period's one timer.
final class Prober {
    enum Kind: String { case readiness, liveness }

    /// What the prober asks of the daemon; all given at init.
    struct Wires {
        /// A readiness probe passed while the process was launching: it is online.
        var ready: (ManagedProcess) -> Void
        /// A liveness probe failed its threshold: restart, with why.
        var restart: (ManagedProcess, String) -> Void
        /// Tells subscribers what a probe found (event `health`).
        var emit: (ManagedProcess, JSONObject) -> Void
        /// How to run an exec probe for a process: as its app runs, with these descriptors.
        var request: (_ argv: [String], ManagedProcess, AppSpec, _ descriptors: [Int32]) -> Result<Spawn.Request, ProbeFailure>
    }

    /// A probe run in flight.
    private final class Run {
        let kind: Kind
        let processID: Int
        let round: Int
        /// An exec probe's process and the read end of its output pipe.
        var pid: Int32?
        var fd: OwnedFD?
        var output: [UInt8] = []
        /// An http_get probe's exchange.
        var check: HTTPCheck?

        init(kind: Kind, processID: Int, round: Int) {
            self.kind = kind
            self.processID = processID
            self.round = round
        }
    }

    /// One process's probes: its tallies, the chain they belong to, what runs now and
    /// what waits for it, and whether it is ready.
    private struct Slot {
        var round: Int
        var readiness: Probe.Tally
        var liveness = Probe.Tally()
        var run: Run?
        var queued: Kind?
        var ready: Bool

        init(round: Int, ready: Bool) {
            self.round = round
            self.ready = ready
            readiness = Probe.Tally(passing: ready)
        }
    }

    private let loop: EventLoop
    private let log: DaemonLog
    private let table: ProcessTable
    private let devNull: OwnedFD
    private let wires: Wires
    private var slots: [Int: Slot] = [:]
    /// Failed probe runs of each process since it entered the table, across its restarts.
    private var failureCounts: [Int: [Kind: Int]] = [:]
    /// The process each running exec probe is for, so a reaped pid is found at once.
    private var probePids: [Int32: Int] = [:]
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

    /// Whether the process's readiness probe passes now (nil: it has none).
    func isReady(_ process: ManagedProcess) -> Bool? {
        guard let app = table.app(process.appName) else { return nil }
        return isReady(process, of: app)
    }

    /// The same, for a process of `app` (a `list` has the app at hand).
    func isReady(_ process: ManagedProcess, of app: ManagedApp) -> Bool? {
        guard app.spec.readinessProbe != nil else { return nil }
        return slots[process.id]?.ready ?? false
    }

    /// Failed runs of the process's probe of `kind` (nil: the app has no such probe).
    func failures(_ process: ManagedProcess, _ kind: Kind) -> Int? {
        guard let spec = table.app(process.appName)?.spec, probe(kind, spec) != nil else { return nil }
        return failureCounts[process.id]?[kind] ?? 0
    }

    /// The process left the table: its counts go with it.
    func forget(_ id: Int) {
        end(id)
        failureCounts[id] = nil
    }

    /// Called after every lifecycle event: a spawn starts the process's probes, a process
    /// that no longer runs has them ended.
    func processChanged(_ process: ManagedProcess, spawned: Bool) {
        if !process.lifecycle.isRunning || process.lifecycle.status == .stopping {
            end(process.id)
            return
        }
        if spawned { arm(process, ready: false) }
    }

    /// A process taken over running (after `update` or a crash): its probes start again,
    /// and one already online counts as ready, since its probe passed before.
    func rearm(_ process: ManagedProcess) {
        guard process.lifecycle.isRunning, process.lifecycle.status != .stopping else { return }
        arm(process, ready: process.lifecycle.status == .online)
    }

    private func arm(_ process: ManagedProcess, ready: Bool) {
        end(process.id)
        guard let spec = table.app(process.appName)?.spec, spec.readinessProbe != nil || spec.livenessProbe != nil else { return }
        lastRound += 1
        slots[process.id] = Slot(round: lastRound, ready: ready)
        if let probe = spec.readinessProbe { schedule(.readiness, process.id, after: probe.initialDelay) }
        if let probe = spec.livenessProbe { schedule(.liveness, process.id, after: probe.initialDelay) }
    }

    /// Whether `pid` is a running exec probe: it carries its app's environment, marker
    /// included, and must not be taken for a process the app left behind.
    func isProbe(_ pid: Int32) -> Bool { probePids[pid] != nil }

    /// A reaped pid that was a probe's; false when it is not one.
    func reaped(_ pid: Int32, _ status: ExitStatus) -> Bool {
        guard let id = probePids.removeValue(forKey: pid) else { return false }
        guard let run = slots[id]?.run, run.pid == pid else { return true }
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

    /// Runs one probe and schedules the next a period later. While the process's other
    /// probe runs, this one waits for it to end; one still running from the last period
    /// is not run again beside itself.
    private func fire(_ kind: Kind, _ id: Int, round: Int) {
        guard let spec = table.process(id).flatMap({ table.app($0.appName)?.spec }), let probe = probe(kind, spec),
              slots[id]?.round == round else { return }
        schedule(kind, id, after: probe.period)
        if let running = slots[id]?.run {
            if running.kind != kind { slots[id]?.queued = kind }
            return
        }
        start(kind, id)
    }

    private func start(_ kind: Kind, _ id: Int) {
        guard let process = table.process(id), let spec = table.app(process.appName)?.spec, let probe = probe(kind, spec),
              let round = slots[id]?.round else { return }
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
        kill(run)
        finish(id, run, .failure(ProbeFailure("timed out after \(Probe.text(timeout))")))
    }

    /// Records a result, ends the run, tells the daemon what changed, and starts the
    /// probe that waited for this one.
    private func finish(_ id: Int, _ run: Run, _ result: Result<Void, ProbeFailure>) {
        guard slots[id]?.run === run else { return }
        close(run)
        slots[id]?.run = nil
        guard let process = table.process(id), let spec = table.app(process.appName)?.spec, let probe = probe(run.kind, spec) else { return }
        let change: Probe.Tally.Change?
        if run.kind == .readiness { change = slots[id]?.readiness.record(result, probe) } else { change = slots[id]?.liveness.record(result, probe) }
        if case .failure = result { failureCounts[id, default: [:]][run.kind, default: 0] += 1 }
        if let change { changed(run.kind, change, process) }
        if let next = slots[id]?.queued {
            slots[id]?.queued = nil
            start(next, id)
        }
    }

    private func changed(_ kind: Kind, _ change: Probe.Tally.Change, _ process: ManagedProcess) {
        switch (kind, change) {
        case (.readiness, .passed):
            slots[process.id]?.ready = true
            wires.emit(process, ["probe": .string("readiness"), "passed": .bool(true), "ready": .bool(true)])
            if process.lifecycle.status == .launching {
                wires.ready(process)
            } else {
                log.info("\(process.label): ready again (readiness probe passed)")
            }
        case (.readiness, .failed(let why)):
            let wasReady = slots[process.id]?.ready == true
            slots[process.id]?.ready = false
            wires.emit(process, ["probe": .string("readiness"), "passed": .bool(false), "ready": .bool(false), "reason": .string(why)])
            if wasReady {
                log.warning("\(process.label): not ready: readiness probe \(why)")
            } else {
                log.info("\(process.label): readiness probe \(why)")
            }
        case (.liveness, .failed(let why)):
            wires.emit(process, ["probe": .string("liveness"), "passed": .bool(false), "reason": .string(why)])
            wires.restart(process, "liveness probe \(why)")
        case (.liveness, .passed):
            break
        }
    }

    private func end(_ id: Int) {
        if let run = slots[id]?.run {
            kill(run)
            close(run)
        }
        slots[id] = nil
    }

    /// Kills a running exec probe's process group; its exit is reaped and ignored.
    private func kill(_ run: Run) {
        guard let pid = run.pid else { return }
        _ = try? Processes.signalGroup(pid, Signals.kill)
        run.pid = nil
    }

    private func close(_ run: Run) {
        run.check?.cancel()
        run.check = nil
        run.fd?.close()
        run.fd = nil
    }

    private func tail(_ output: [UInt8]) -> String {
        let text = String(decoding: output.suffix(200), as: UTF8.self).split(whereSeparator: \.isNewline).last.map(String.init) ?? ""
        return text.isEmpty ? "" : " (\(text))"
    }

    // MARK: exec

    private func exec(_ run: Run, _ argv: [String], _ process: ManagedProcess, _ spec: AppSpec) -> Result<Void, ProbeFailure> {
        let pipe: Pipe
        do {
            pipe = try Pipe(nonBlockingRead: true)
        } catch {
            return .failure(ProbeFailure("cannot run: \(error)"))
        }
        let request: Spawn.Request
        switch wires.request(argv, process, spec, [devNull.raw, pipe.writeEnd.raw, pipe.writeEnd.raw]) {
        case .success(let made): request = made
        case .failure(let failure): return .failure(failure)
        }
        do {
            let pid = try Spawn.spawn(request)
            run.pid = pid
            probePids[pid] = run.processID
        } catch {
            return .failure(ProbeFailure("cannot run: \(error)"))
        }
        pipe.writeEnd.close()
        // Read once the probe has exited (its output waits in the pipe), so a run costs
        // the loop its timer and the exit, not a wake-up per write.
        run.fd = pipe.readEnd
        return .success(())
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
        var request = "GET \(path) HTTP/1.0\r\nHost: \(host):\(port)\r\nUser-Agent: procd-probe\r\nConnection: close\r\n"
        for (name, value) in headers.sorted(by: { $0.key < $1.key }) { request += "\(name): \(value)\r\n" }
        let id = run.processID
        do {
            run.check = try HTTPCheck(loop: loop, host: host == "localhost" ? "127.0.0.1" : host, port: port, request: request + "\r\n") {
                [weak self, weak run] outcome in
                guard let self, let run else { return }
                self.finish(id, run, Self.verdict(outcome, host: host, port: port))
            }
        } catch {
            return .failure(ProbeFailure("cannot connect to \(host):\(port): \(error.reason)"))
        }
        return .success(())
    }

    private static func verdict(_ outcome: HTTPCheck.Outcome, host: String, port: Int) -> Result<Void, ProbeFailure> {
        switch outcome {
        case .status(let code): Probe.judge(status: code)
        case .cannotConnect(let reason): .failure(ProbeFailure("cannot connect to \(host):\(port): \(reason)"))
        case .cannotSend: .failure(ProbeFailure("could not send the request to \(host):\(port)"))
        case .noStatusLine, .closedWithoutStatus: .failure(ProbeFailure("no HTTP answer from \(host):\(port)"))
        }
    }
}
