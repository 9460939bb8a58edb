import ProcdCore
import ProcdPlatform
import ProcdWire

/// `state.json`: the live table, rewritten atomically on every change, and read back when
/// the daemon starts after a crash, an OOM kill or a reboot.
extension Daemon {
    func persistState() {
        stateDirty = false
        if stateFrozen { return }
        do {
            try File.writeAtomically(home.stateFile, tableDocument().serialized(pretty: true) + "\n")
        } catch {
            log.warning("unable to write \(home.stateFile): \(error)")
        }
    }

    /// The whole table: each app's definition with its processes, their pids (and start
    /// times, so a later daemon can recognise them) and lifecycles.
    func tableDocument() -> JSON {
        var appList: [JSON] = []
        for name in appOrder {
            guard let app = apps[name], case .object(var object) = app.spec.json else { continue }
            object["processes"] = .array(app.processIDs.compactMap { processes[$0] }.map { p in
                var entry: JSONObject = [
                    "id": .int(p.id),
                    "instance": .int(p.instance),
                    "status": .string(p.lifecycle.status.rawValue),
                    "lifecycle": p.lifecycle.json,
                ]
                if let pid = p.pid {
                    entry["pid"] = .int(Int(pid))
                    if let start = ProcFS.stat(pid)?.startTime { entry["pid_start"] = .int(Int(start)) }
                }
                return .object(entry)
            })
            appList.append(.object(object))
        }
        return .object([
            "version": .int(1),
            "daemon_pid": .int(Int(Processes.currentPid)),
            "next_id": .int(nextProcessID),
            "apps": .array(appList),
        ])
    }

    /// Rebuilds the table from `state.json`: processes a dead daemon left behind are
    /// stopped (their output pipes died with it), then every process that should run is
    /// started again. A file that cannot be read is moved aside and reported.
    func restoreState() {
        guard File.exists(home.stateFile) else { return }
        let document: JSON
        do {
            document = try JSONParser.parse(bytes: try File.read(home.stateFile))
        } catch {
            let aside = home.stateFile + ".corrupt-\(Clock.wallMilliseconds())"
            try? File.rename(home.stateFile, to: aside)
            let message = "\(home.stateFile) could not be read (\(error)); it was moved to \(aside) and procd started with an empty table"
            log.error(message)
            pendingNotice = message
            return
        }
        var orphans: [(pid: Int32, signal: Int32)] = []
        var longestTimeout: Duration = .zero
        var toStart: [ManagedProcess] = []
        for appJSON in document["apps"]?.arrayValue ?? [] {
            let spec: AppSpec
            do {
                spec = try AppSpec(json: appJSON)
            } catch {
                log.error("state.json: skipped an app: \(error)")
                continue
            }
            guard apps[spec.name] == nil else { continue }
            let app = ManagedApp(spec: spec)
            for entry in appJSON["processes"]?.arrayValue ?? [] {
                guard let id = entry["id"]?.intValue, processes[id] == nil else { continue }
                let instance = entry["instance"]?.intValue ?? app.processIDs.count
                let process = ManagedProcess(id: id, appName: spec.name, instance: instance, policy: spec.lifecyclePolicy,
                                             outLog: "", errLog: "")
                let previous = Lifecycle(json: entry["lifecycle"] ?? .null, policy: spec.lifecyclePolicy)
                process.lifecycle = previous
                process.lifecycle.settleAfterRestore()
                if let pid = entry["pid"]?.intValue.map(Int32.init(truncatingIfNeeded:)),
                   let start = entry["pid_start"]?.intValue, ProcFS.stat(pid)?.startTime == Int64(start) {
                    orphans.append((pid, spec.policy.killSignal))
                    longestTimeout = max(longestTimeout, spec.policy.killTimeout)
                }
                processes[id] = process
                app.processIDs.append(id)
                nextProcessID = max(nextProcessID, id + 1)
                if previous.shouldRun { toStart.append(process) }
            }
            register(app)
            do {
                app.listeners = try openListenersAfter(orphans: &orphans, timeout: longestTimeout, spec: spec)
            } catch {
                log.error("\(spec.name): \(error.message)")
            }
        }
        nextProcessID = max(nextProcessID, document["next_id"]?.intValue ?? 0)
        stopOrphans(&orphans, timeout: longestTimeout)
        log.info("restored \(apps.count) app(s) from \(home.stateFile); starting \(toStart.count) process(es)")
        for process in toStart { apply(.start, to: process) }
        stateDirty = true
    }

    /// Listening sockets are still held by the orphans, so they must be gone first.
    private func openListenersAfter(orphans: inout [(pid: Int32, signal: Int32)], timeout: Duration, spec: AppSpec) throws(WireError)
        -> [(address: ListenAddress, fd: OwnedFD)] {
        guard !spec.listen.isEmpty else { return [] }
        stopOrphans(&orphans, timeout: timeout)
        return try openListeners(for: spec, reusing: [])
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
