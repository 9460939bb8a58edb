import ProcdCore
import ProcdPlatform
import ProcdWire

/// Starting from `state.json`: the table read back, what a dead daemon left running
/// stopped, and what should run started again.
extension Daemon {
    /// Rebuilds the table from `state.json`: processes a dead daemon left behind are
    /// stopped (their output pipes died with it), then every process that should run is
    /// started again. A file that cannot be read is moved aside and reported. With no
    /// file, processes of this home are looked for (reading every process's environment)
    /// only when the last daemon did not end as daemons do (`lastRunEnded` false).
    func restoreState(lastRunEnded: Bool = false) {
        guard File.exists(startup.home.stateFile) else {
            if lastRunEnded { return }
            var strays = strayProcesses(known: [])
            stopOrphans(&strays, timeout: .seconds(2))
            return
        }
        let document: JSON
        do {
            document = try JSONParser.parse(bytes: try File.read(startup.home.stateFile))
        } catch {
            let aside = startup.home.stateFile + ".corrupt-\(Clock.wallMilliseconds())"
            try? File.rename(startup.home.stateFile, to: aside)
            let message = "\(startup.home.stateFile) could not be read (\(error)); it was moved to \(aside) and procd started with an empty table"
            log.error(message)
            state.report(message)
            return
        }
        var orphans: [(pid: Int32, signal: Int32)] = []
        var longestTimeout: Duration = .zero
        var toStart: [ManagedProcess] = []
        var recorded: [Int32] = []
        for (appJSON, spec) in apps(in: document, from: "state.json") {
            guard table.app(spec.name) == nil else { continue }
            let app = ManagedApp(spec: spec)
            for entry in appJSON["processes"]?.arrayValue ?? [] {
                guard let id = entry["id"]?.intValue, table.process(id) == nil else { continue }
                let instance = entry["instance"]?.intValue ?? app.processIDs.count
                let process = ManagedProcess(id: id, appName: spec.name, instance: instance, policy: spec.lifecyclePolicy,
                                             outLog: "", errLog: "")
                let previous = Lifecycle(json: entry["lifecycle"] ?? .null, policy: spec.lifecyclePolicy)
                process.lifecycle = previous
                process.lifecycle.settleAfterRestore()
                if let pid = entry["pid"]?.intValue.map(Int32.init(truncatingIfNeeded:)) { recorded.append(pid) }
                if let pid = entry["pid"]?.intValue.map(Int32.init(truncatingIfNeeded:)),
                   let start = entry["pid_start"]?.intValue, ProcFS.stat(pid)?.startTime == Int64(start) {
                    orphans.append((pid, spec.policy.killSignal))
                    longestTimeout = max(longestTimeout, spec.policy.killTimeout)
                }
                table.insert(process)
                app.processIDs.append(id)
                if previous.shouldRun { toStart.append(process) }
            }
            register(app)
            do {
                app.listeners = try openListenersAfter(orphans: &orphans, timeout: longestTimeout, spec: spec)
            } catch {
                log.error("\(spec.name): \(error.message)")
            }
        }
        table.reserveIDs(below: document["next_id"]?.intValue ?? 0)
        orphans += strayProcesses(known: Set(recorded))
        stopOrphans(&orphans, timeout: max(longestTimeout, .seconds(2)))
        log.info("restored \(table.appCount) app(s) from \(startup.home.stateFile); starting \(toStart.count) process(es)")
        for process in toStart { apply(.start, to: process) }
        state.markChanged()
    }

    /// The apps a table document (`state.json`, `dump.json`) holds, each with its
    /// definition; one whose definition does not read is logged and skipped.
    func apps(in document: JSON, from source: String) -> [(json: JSON, spec: AppSpec)] {
        (document["apps"]?.arrayValue ?? []).compactMap { appJSON in
            do {
                return (appJSON, try AppSpec(json: appJSON))
            } catch {
                log.error("\(source): skipped an app: \(error)")
                return nil
            }
        }
    }

    /// Processes of this home that the table does not record: a crash came between their
    /// start and the write that would have recorded them. Group leaders are stopped with
    /// their group, like recorded orphans; a stray outside any such group is killed.
    private func strayProcesses(known: Set<Int32>) -> [(pid: Int32, signal: Int32)] {
        let own = Processes.currentPid
        var strays: [(pid: Int32, signal: Int32)] = []
        for pid in ProcFS.allPids() where pid != own && !known.contains(pid) {
            guard let environ = ProcFS.environment(pid), ProcessMarker.isManaged(environ: environ, home: startup.home.root),
                  let stat = ProcFS.stat(pid) else { continue }
            if stat.pgrp == pid {
                strays.append((pid, Signals.term))
            } else if !known.contains(stat.pgrp) && ProcFS.stat(stat.pgrp) == nil {
                _ = try? Processes.signal(pid, Signals.kill)
            }
        }
        if !strays.isEmpty { log.info("found \(strays.count) process(es) of this home that state.json does not record") }
        return strays
    }

    /// Listening sockets are still held by the orphans, so they must be gone first.
    private func openListenersAfter(orphans: inout [(pid: Int32, signal: Int32)], timeout: Duration, spec: AppSpec) throws(WireError)
        -> [(address: ListenAddress, fd: OwnedFD)] {
        guard !spec.listen.isEmpty else { return [] }
        stopOrphans(&orphans, timeout: timeout)
        return try openListeners(for: spec, reusing: [])
    }

    /// Stops the processes of this home that are not in the table.
    func stopStrays(known: Set<Int32>) {
        var strays = strayProcesses(known: known)
        stopOrphans(&strays, timeout: .seconds(2))
    }

    /// Asks processes left by a previous daemon to stop, then kills what remains.
    private func stopOrphans(_ orphans: inout [(pid: Int32, signal: Int32)], timeout: Duration) {
        guard !orphans.isEmpty else { return }
        log.info("stopping \(orphans.count) process(es) left running by the previous daemon")
        for orphan in orphans { _ = try? Processes.signalGroup(orphan.pid, orphan.signal) }
        let stubborn = Processes.waitForExit(orphans.map(\.pid), timeout: timeout)
        for pid in stubborn { _ = try? Processes.signalGroup(pid, Signals.kill) }
        _ = Processes.waitForExit(stubborn, timeout: .seconds(2))
        orphans.removeAll()
    }
}
