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
            let (bytes, definitionsChanged) = tableBytes()
            // Definitions (what a reboot brings back) are flushed to disk; a change of pids
            // or states alone only has to outlive a crash of this process, not of the machine.
            try File.writeAtomically(home.stateFile, bytes, durable: definitionsChanged)
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
            object["processes"] = processEntries(app)
            appList.append(.object(object))
        }
        return .object(header(appList))
    }

    /// `tableDocument()` written as indented JSON, each app's definition taken from the
    /// bytes kept since it last changed: a write costs what the processes' states cost,
    /// not what every app's environment does.
    func tableBytes() -> (bytes: [UInt8], definitionsChanged: Bool) {
        var definitionsChanged = appOrder.count != stateAppCount
        stateAppCount = appOrder.count
        var out: [UInt8] = []
        out.reserveCapacity(stateSizeHint)
        let document = JSON.object(header([]))
        var head: [UInt8] = []
        document.append(to: &head, pretty: true, indent: 0)
        // `…"apps": []\n}`: keep everything up to the array's opening bracket.
        out += head.dropLast(3)
        var first = true
        for name in appOrder {
            guard let app = apps[name] else { continue }
            if app.stateBytes == nil {
                definitionsChanged = true
                var bytes: [UInt8] = []
                app.spec.json.append(to: &bytes, pretty: true, indent: 4)
                // Reopen the object (`…\n    }`) so the processes can follow.
                app.stateBytes = Array(bytes.dropLast(6))
            }
            out += first ? Array("\n    ".utf8) : Array(",\n    ".utf8)
            first = false
            out += app.stateBytes ?? []
            out += Array(",\n      \"processes\": ".utf8)
            processEntries(app).append(to: &out, pretty: true, indent: 6)
            out += Array("\n    }".utf8)
        }
        out += first ? Array("]\n}\n".utf8) : Array("\n  ]\n}\n".utf8)
        stateSizeHint = out.count + out.count / 8
        return (out, definitionsChanged)
    }

    private func header(_ appList: [JSON]) -> JSONObject {
        [
            "version": .int(1),
            "daemon_pid": .int(Int(Processes.currentPid)),
            "next_id": .int(nextProcessID),
            "apps": .array(appList),
        ]
    }

    private func processEntries(_ app: ManagedApp) -> JSON {
        .array(app.processIDs.compactMap { processes[$0] }.map { (p: ManagedProcess) -> JSON in
            var entry: JSONObject = [
                "id": .int(p.id),
                "instance": .int(p.instance),
                "status": .string(p.lifecycle.status.rawValue),
                "lifecycle": p.lifecycle.json,
            ]
            if let pid = p.pid {
                entry["pid"] = .int(Int(pid))
                // What a daemon recovering after a crash needs to adopt the process.
                if let pgid = p.pgid { entry["pgid"] = .int(Int(pgid)) }
                if let wall = p.startedAtWall { entry["started_wall"] = .int(Int(wall)) }
                if let text = p.statusText { entry["status_text"] = .string(text) }
                if p.pidStart?.pid != pid, let ticks = ProcFS.stat(pid)?.startTime { p.pidStart = (pid, ticks) }
                if let start = p.pidStart?.ticks { entry["pid_start"] = .int(Int(start)) }
            }
            return .object(entry)
        })
    }

    /// Rebuilds the table from `state.json`: processes a dead daemon left behind are
    /// stopped (their output pipes died with it), then every process that should run is
    /// started again. A file that cannot be read is moved aside and reported.
    func restoreState() {
        guard File.exists(home.stateFile) else {
            var strays = strayProcesses(known: [])
            stopOrphans(&strays, timeout: .seconds(2))
            return
        }
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
        var recorded: [Int32] = []
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
                if let pid = entry["pid"]?.intValue.map(Int32.init(truncatingIfNeeded:)) { recorded.append(pid) }
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
        orphans += strayProcesses(known: Set(recorded))
        stopOrphans(&orphans, timeout: max(longestTimeout, .seconds(2)))
        log.info("restored \(apps.count) app(s) from \(home.stateFile); starting \(toStart.count) process(es)")
        for process in toStart { apply(.start, to: process) }
        stateDirty = true
    }

    /// Processes of this home that the table does not record: a crash came between their
    /// start and the write that would have recorded them. Group leaders are stopped with
    /// their group, like recorded orphans; a stray outside any such group is killed.
    private func strayProcesses(known: Set<Int32>) -> [(pid: Int32, signal: Int32)] {
        let own = Processes.currentPid
        var strays: [(pid: Int32, signal: Int32)] = []
        for pid in ProcFS.allPids() where pid != own && !known.contains(pid) {
            guard let environ = ProcFS.environment(pid), ProcessMarker.isManaged(environ: environ, home: home.root),
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
