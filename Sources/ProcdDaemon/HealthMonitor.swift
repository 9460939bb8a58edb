import ProcdCore
import ProcdPlatform

/// Deadlines of the health features. None exists unless an app configures its feature,
/// so an idle daemon without them never wakes.
private enum HealthTask: Sendable {
    case watchdog(Int)
    case probe(Int, round: Int)
    case probeTimeout(UInt64)
    case memory(String, round: Int)
    case cron(String)
    case watchSettled(String)
}

/// An HTTP health check in flight, and the chain it belongs to.
private final class HealthProbe {
    let token: UInt64
    let processID: Int
    let url: HealthURL
    /// The probe chain it belongs to.
    let round: Int
    var check: HTTPCheck?

    init(token: UInt64, processID: Int, url: HealthURL, round: Int) {
        self.token = token
        self.processID = processID
        self.url = url
        self.round = round
    }
}

/// Health: watchdogs (`WATCHDOG=1`), HTTP probes, memory limits, cron restarts and file
/// watching. It owns the probes in flight and the deadlines of these features, reads the
/// table, and asks for a restart through `restart`; none of it runs for an app that does
/// not configure it, so an idle daemon without them never wakes.
final class HealthMonitor {
    private let loop: EventLoop
    private let log: DaemonLog
    private let table: ProcessTable
    private var probes: [UInt64: HealthProbe] = [:]
    /// What health keeps of each process: when the next WATCHDOG=1 is due, failed checks in
    /// a row, whether the last passed, the probe in flight and the chain it belongs to (a
    /// chain armed before a restart must not run beside the one armed after it).
    private struct Record {
        var watchdogDeadline: Tick?
        var failures = 0
        var passed = false
        var probe: UInt64?
        var probeRound = 0
    }
    private var records: [Int: Record] = [:]
    /// What health keeps of each app: the next cron_restart, the file watcher, and the
    /// memory-check chain now in force.
    private struct AppRecord {
        var cronDeadline: Tick?
        var watcher: AppWatcher?
        var memoryRound = 0
    }
    private var appRecords: [String: AppRecord] = [:]
    /// Numbers the chains of repeating checks (probes, memory), so that arming one again
    /// replaces the chain rather than adding a second beside it.
    private var lastRound = 0
    /// Restarts a process for the reason given.
    private let restart: (ManagedProcess, String) -> Void
    /// Tells subscribers what a check found.
    private let emit: (ProcessEvent.Kind, ManagedProcess, JSONObject) -> Void

    init(loop: EventLoop, log: DaemonLog, table: ProcessTable, restart: @escaping (ManagedProcess, String) -> Void,
         emit: @escaping (ProcessEvent.Kind, ManagedProcess, JSONObject) -> Void) {
        self.loop = loop
        self.log = log
        self.table = table
        self.restart = restart
        self.emit = emit
    }

    /// How often `max_memory_restart` is checked (the SPEC asks for at least every 5 s).
    static let memoryCheckInterval: Duration = .seconds(2)
    /// A probe gets at most this long, or its interval if that is shorter.
    static let probeTimeout: Duration = .seconds(5)

    /// A process left the table.
    func forget(processID: Int) { records[processID] = nil }

    /// An app left the table: its watcher goes with it.
    func forget(app: ManagedApp) {
        app.spec.watch = nil
        configureWatch(app)
        appRecords[app.spec.name] = nil
    }

    /// Called after every lifecycle event: arms the per-process checks when a process
    /// starts or comes online; stale deadlines are ignored when they fire.
    func processChanged(_ process: ManagedProcess, from previous: ProcessStatus, spawned: Bool) {
        guard let spec = table.app(process.appName)?.spec else { return }
        if spawned { armWatchdog(process, spec) }
        if !process.lifecycle.isRunning { records[process.id]?.watchdogDeadline = nil }
        if process.lifecycle.status == .online && previous != .online { armProbe(process, spec) }
    }

    private func armWatchdog(_ process: ManagedProcess, _ spec: AppSpec) {
        guard let interval = spec.watchdog else { return }
        let deadline = Clock.now() + interval
        records[process.id, default: Record()].watchdogDeadline = deadline
        schedule(.watchdog(process.id), at: deadline)
    }

    private func armProbe(_ process: ManagedProcess, _ spec: AppSpec) {
        guard spec.healthURL != nil else { return }
        records[process.id, default: Record()].failures = 0
        records[process.id, default: Record()].probeRound = nextRound()
        schedule(.probe(process.id, round: records[process.id, default: Record()].probeRound), at: Clock.now() + spec.healthInterval)
    }

    private func nextRound() -> Int {
        lastRound += 1
        return lastRound
    }

    /// A process taken over running (after `update` or a crash): its probe and watchdog
    /// are armed as if it had just come online, since no lifecycle step will do it.
    func rearm(_ process: ManagedProcess) {
        guard let spec = table.app(process.appName)?.spec, process.lifecycle.isRunning else { return }
        armWatchdog(process, spec)
        if process.lifecycle.status == .online { armProbe(process, spec) }
    }

    /// `WATCHDOG=1` (or `WATCHDOG=trigger`) from a process.
    func watchdogPing(_ process: ManagedProcess, trigger: Bool) {
        guard let interval = table.app(process.appName)?.spec.watchdog, process.lifecycle.isRunning else { return }
        if trigger {
            emit(.watchdog, process, ["reason": .string("WATCHDOG=trigger")])
            restart(process, "watchdog triggered by the process (WATCHDOG=trigger)")
            return
        }
        let deadline = Clock.now() + interval
        records[process.id, default: Record()].watchdogDeadline = deadline
        schedule(.watchdog(process.id), at: deadline)
    }

    /// Arms the app-wide features: memory checks, cron and file watching.
    func configure(_ app: ManagedApp) {
        let spec = app.spec
        let now = Clock.now()
        if spec.maxMemoryRestart != nil {
            appRecords[app.spec.name, default: AppRecord()].memoryRound = nextRound()
            schedule(.memory(spec.name, round: appRecords[app.spec.name, default: AppRecord()].memoryRound), at: now + Self.memoryCheckInterval)
        }
        scheduleCron(app)
        configureWatch(app)
    }

    private func scheduleCron(_ app: ManagedApp) {
        appRecords[app.spec.name, default: AppRecord()].cronDeadline = nil
        guard let text = app.spec.cronRestart, let cron = try? Cron.parse(text) else { return }
        let wall = Clock.wallMilliseconds()
        let offset = Int64(Clock.localTime(millisecondsSinceEpoch: wall).utcOffset)
        let localMinute = (wall / 1000 + offset) / 60
        guard let next = cron.next(after: localMinute) else { return }
        let fireWall = (next * 60 - offset) * 1000
        let deadline = Clock.now() + .milliseconds(max(fireWall - wall, 0))
        appRecords[app.spec.name, default: AppRecord()].cronDeadline = deadline
        schedule(.cron(app.spec.name), at: deadline)
    }

    /// Runs `task` at `at`; one whose subject is gone or changed by then is forgotten.
    private func schedule(_ task: HealthTask, at: Tick) {
        loop.schedule(at: at, isCurrent: { [weak self] at in self?.isCurrent(task, at: at) ?? false }) { [weak self] now in
            guard let self else { return }
            self.fire(task, now: now)
        }
    }

    private func isCurrent(_ task: HealthTask, at: Tick) -> Bool {
        switch task {
        case .watchdog(let id): return records[id]?.watchdogDeadline == at
        case .probe(let id, let round): return table.process(id).map { $0.lifecycle.status == .online && records[$0.id, default: Record()].probeRound == round } ?? false
        case .probeTimeout(let token): return probes[token] != nil
        case .memory(let name, let round): return table.app(name).map { $0.spec.maxMemoryRestart != nil && appRecords[name]?.memoryRound == round } ?? false
        case .cron(let name): return appRecords[name]?.cronDeadline == at
        case .watchSettled(let name): return appRecords[name]?.watcher?.settleAt == at
        }
    }

    private func fire(_ task: HealthTask, now: Tick) {
        switch task {
        case .watchdog(let id):
            guard let p = table.process(id), let deadline = records[p.id, default: Record()].watchdogDeadline, now >= deadline, p.lifecycle.isRunning,
                  let interval = table.app(p.appName)?.spec.watchdog else { return }
            records[p.id, default: Record()].watchdogDeadline = nil
            emit(.watchdog, p, ["reason": .string("no WATCHDOG=1 within \(interval.milliseconds) ms")])
            restart(p, "watchdog timeout: no WATCHDOG=1 within \(interval.milliseconds) ms")
        case .probe(let id, let round):
            guard let p = table.process(id), p.lifecycle.status == .online, records[p.id, default: Record()].probe == nil, records[p.id, default: Record()].probeRound == round,
                  let url = table.app(p.appName)?.spec.healthURL else { return }
            startProbe(p, url: url)
        case .probeTimeout(let token):
            guard let probe = probes[token] else { return }
            finishProbe(probe, failure: "no answer within \(min(Self.probeTimeout, interval(of: probe)).milliseconds) ms")
        case .memory(let name, let round):
            guard let app = table.app(name), appRecords[app.spec.name, default: AppRecord()].memoryRound == round, let limit = app.spec.maxMemoryRestart else { return }
            for id in app.processIDs {
                guard let p = table.process(id), p.lifecycle.status == .online, let pid = p.pid else { continue }
                let used = ProcFS.treeUsage(pid).residentBytes
                if used > limit {
                    emit(.memory, p, ["memory": .int(Int(used)), "limit": .int(Int(limit)),
                                      "reason": .string("\(Format.bytes(used)) over max_memory_restart \(Format.bytes(limit))")])
                    restart(p, "memory \(Format.bytes(used)) over max_memory_restart \(Format.bytes(limit))")
                }
            }
            schedule(.memory(name, round: round), at: now + Self.memoryCheckInterval)
        case .cron(let name):
            guard let app = table.app(name), let deadline = appRecords[app.spec.name, default: AppRecord()].cronDeadline, now >= deadline else { return }
            for id in app.processIDs {
                if let p = table.process(id) { restart(p, "cron_restart '\(app.spec.cronRestart ?? "")'") }
            }
            scheduleCron(app)
        case .watchSettled(let name):
            guard let app = table.app(name), let watcher = appRecords[app.spec.name, default: AppRecord()].watcher, let due = watcher.settleAt, now >= due else { return }
            watcher.settleAt = nil
            let path = watcher.changed ?? "a file"
            for id in app.processIDs {
                guard let p = table.process(id), [.online, .launching, .waiting].contains(p.lifecycle.status) else { continue }
                restart(p, "watch: \(path) changed")
            }
        }
    }

    private func interval(of probe: HealthProbe) -> Duration {
        table.process(probe.processID).flatMap { table.app($0.appName)?.spec.healthInterval } ?? Self.probeTimeout
    }

    private func startProbe(_ process: ManagedProcess, url: HealthURL) {
        let round = records[process.id, default: Record()].probeRound
        let probe = HealthProbe(token: loop.makeToken(), processID: process.id, url: url, round: round)
        do {
            probe.check = try HTTPCheck(loop: loop, host: url.host, port: url.port, request: url.request) { [weak self, weak probe] outcome in
                guard let self, let probe else { return }
                self.finishProbe(probe, failure: Self.failure(outcome, url))
            }
        } catch {
            recordProbe(process, failure: "\(url): \(error.reason)", round: round)
            return
        }
        probes[probe.token] = probe
        records[process.id, default: Record()].probe = probe.token
        let timeout = min(Self.probeTimeout, table.app(process.appName)?.spec.healthInterval ?? Self.probeTimeout)
        schedule(.probeTimeout(probe.token), at: Clock.now() + timeout)
    }

    /// What a check found wrong, or nil when it passed.
    private static func failure(_ outcome: HTTPCheck.Outcome, _ url: HealthURL) -> String? {
        switch outcome {
        case .status(let status): (200...399).contains(status) ? nil : "\(url) answered \(status)"
        case .cannotConnect(let reason): "\(url): \(reason)"
        case .cannotSend: "\(url): could not send the request"
        case .noStatusLine: "\(url) sent no HTTP status line"
        case .closedWithoutStatus: "\(url) closed the connection without an HTTP status"
        }
    }

    /// Ends a probe; `failure` nil means the check passed.
    private func finishProbe(_ probe: HealthProbe, failure: String?) {
        probes[probe.token] = nil
        probe.check?.cancel()
        probe.check = nil
        guard let process = table.process(probe.processID), records[process.id, default: Record()].probe == probe.token else { return }
        records[process.id, default: Record()].probe = nil
        if let failure {
            recordProbe(process, failure: failure, round: probe.round)
        } else {
            if records[process.id, default: Record()].failures > 0 || !records[process.id, default: Record()].passed { emit(.health, process, ["passed": .bool(true)]) }
            records[process.id, default: Record()].failures = 0
            records[process.id, default: Record()].passed = true
            scheduleProbe(process, round: probe.round)
        }
    }

    private func recordProbe(_ process: ManagedProcess, failure: String, round: Int) {
        guard let spec = table.app(process.appName)?.spec else { return }
        records[process.id, default: Record()].failures += 1
        records[process.id, default: Record()].passed = false
        emit(.health, process, ["passed": .bool(false), "reason": .string(failure), "failures": .int(records[process.id, default: Record()].failures)])
        log.warning("\(process.label): health check failed (\(records[process.id, default: Record()].failures)/\(spec.healthRetries)): \(failure)")
        if records[process.id, default: Record()].failures >= spec.healthRetries {
            records[process.id, default: Record()].failures = 0
            restart(process, "health check failed \(spec.healthRetries) times in a row: \(failure)")
        } else {
            scheduleProbe(process, round: round)
        }
    }

    /// The next check of a chain, unless a newer chain has replaced it.
    private func scheduleProbe(_ process: ManagedProcess, round: Int) {
        guard process.lifecycle.status == .online, records[process.id, default: Record()].probeRound == round,
              let interval = table.app(process.appName)?.spec.healthInterval else { return }
        schedule(.probe(process.id, round: round), at: Clock.now() + interval)
    }

    // MARK: File watching

    func configureWatch(_ app: ManagedApp) {
        if let old = appRecords[app.spec.name, default: AppRecord()].watcher {
            loop.unwatch(old.inotify.fd.raw, token: old.token)
            old.inotify.fd.close()
            appRecords[app.spec.name, default: AppRecord()].watcher = nil
        }
        guard let paths = app.spec.watch else { return }
        let roots = (paths.isEmpty ? [app.spec.cwd] : paths.map { File.absolute($0, cwd: app.spec.cwd) }).filter(File.exists)
        guard !roots.isEmpty else {
            log.warning("\(app.spec.name): nothing to watch: \(paths.joined(separator: ", ")) not found")
            return
        }
        do {
            let watcher = AppWatcher(token: loop.makeToken(), inotify: try Inotify(), roots: roots, filter: WatchFilter(patterns: app.spec.ignoreWatch))
            for root in roots {
                if File.isDirectory(root) {
                    watcher.add(root)
                } else if let wd = try? watcher.inotify.watchDirectory(File.parent(of: root)) {
                    watcher.directories[wd] = File.parent(of: root)
                }
            }
            let name = app.spec.name
            try loop.watch(watcher.inotify.fd.raw, .readable, token: watcher.token) { [weak self] _ in self?.readWatch(name) }
            appRecords[app.spec.name, default: AppRecord()].watcher = watcher
            log.info("\(app.spec.name): watching \(watcher.directories.count) director(ies) under \(roots.joined(separator: ", "))")
        } catch {
            log.warning("\(app.spec.name): unable to watch files: \(error)")
        }
    }

    private func readWatch(_ appName: String) {
        guard let app = table.app(appName), let watcher = appRecords[app.spec.name, default: AppRecord()].watcher else { return }
        for change in watcher.inotify.drain(into: loop.scratch) {
            if change.isWatchRemoved {
                watcher.directories[change.watch] = nil
                continue
            }
            guard let directory = watcher.directories[change.watch] else { continue }
            let path = directory + "/" + change.name
            // A watched single file: only that file counts.
            if watcher.roots.allSatisfy({ !File.isDirectory($0) }) && !watcher.roots.contains(path) { continue }
            if watcher.filter.ignores(watcher.relative(path)) { continue }
            if change.isNewDirectory { watcher.add(path) }
            watcher.changed = watcher.relative(path)
            let due = Clock.now() + app.spec.watchDelay
            watcher.settleAt = due
            schedule(.watchSettled(appName), at: due)
        }
    }
}
