import ProcdCore
import ProcdPlatform
import ProcdWire

/// `state.json`: the live table, rewritten atomically at the end of every turn that changed
/// it, so a daemon that starts after a crash, an OOM kill or a reboot can read it back
/// (see `Daemon+Restore`).
///
/// A write that fails (a full disk, a read-only file system) is tried again at the next
/// change, or at a deadline that backs off from 1 s to 30 s, until one succeeds; meanwhile
/// `unsaved` is the error the replies of table-changing requests carry.
final class StateFile {
    static let firstRetry: Duration = .seconds(1)
    static let lastRetry: Duration = .seconds(30)

    private let path: String
    private let log: DaemonLog
    private let table: ProcessTable
    private let loop: EventLoop
    /// The failure of the last write, and when to try again; nil while the file is current.
    private var failure: (error: SystemError, since: Tick, retryAt: Tick, delay: Duration)?
    /// The table changed since the last write.
    private var changed = false
    /// The size of the last write, to allocate the next one at once.
    private var sizeHint = 4096
    /// How many apps the last write held.
    private var appCount = -1
    /// While shutting down for SIGTERM the file is kept as it was, so the next start
    /// (after a reboot, say) brings the apps back.
    private var frozen = false
    /// A problem reading the file at start-up, told to the next client.
    private var notice: String?

    init(path: String, log: DaemonLog, table: ProcessTable, loop: EventLoop) {
        self.path = path
        self.log = log
        self.table = table
        self.loop = loop
    }

    /// What replies to table-changing requests say while the file is not current.
    var unsaved: WireError? {
        guard let failure else { return nil }
        return WireError(.notSaved, "the change took effect but was not saved: unable to write \(path): "
            + "\(failure.error.reason); procd writes it again once it can, and a crash or reboot before then loses the change")
    }

    func report(_ problem: String) { notice = problem }

    func takeNotice() -> String? {
        defer { notice = nil }
        return notice
    }

    /// Something the file records changed; it is written at the end of the turn.
    func markChanged() { changed = true }
    var isBehind: Bool { changed }
    var isFrozen: Bool { frozen }

    /// Writes the table now, then no more: for a shutdown that must leave it as it was.
    func freeze() {
        write()
        frozen = true
    }

    func write() {
        changed = false
        if frozen { return }
        do {
            let (bytes, definitionsChanged) = tableBytes()
            // Definitions (what a reboot brings back) are flushed to disk; a change of pids
            // or states alone only has to outlive a crash of this process, not of the machine.
            try File.writeAtomically(path, bytes, durable: definitionsChanged || failure != nil)
        } catch {
            failed(error)
            return
        }
        if let failure {
            log.info("wrote \(path) again, \((Clock.now() - failure.since).milliseconds / 1000) s after it first failed")
            self.failure = nil
        }
    }

    /// Logs the first failure of an episode and sets the next try.
    private func failed(_ error: SystemError) {
        let now = Clock.now()
        if let previous = failure {
            // A change failed to save before the retry was due: the retry stays where it is.
            if previous.retryAt > now {
                failure?.error = error
                return
            }
            let delay = min(previous.delay * 2, Self.lastRetry)
            failure = (error, previous.since, now + delay, delay)
        } else {
            log.warning("unable to write \(path): \(error.reason); the table is not saved until it can be "
                + "(retrying from \(Self.firstRetry.milliseconds / 1000) s to \(Self.lastRetry.milliseconds / 1000) s apart)")
            failure = (error, now, now + Self.firstRetry, Self.firstRetry)
        }
        guard let at = failure?.retryAt else { return }
        loop.schedule(at: at, isCurrent: { [weak self] at in self?.failure?.retryAt == at }) { [weak self] _ in
            self?.markChanged()
        }
    }

    /// The whole table: each app's definition with its processes, their pids (and start
    /// times, so a later daemon can recognise them) and lifecycles.
    func document() -> JSON {
        var appList: [JSON] = []
        for app in table.appsInOrder {
            guard case .object(var object) = app.spec.json else { continue }
            object["processes"] = processEntries(app)
            appList.append(.object(object))
        }
        return .object(header(appList))
    }

    /// `tableDocument()` written as indented JSON, each app's definition taken from the
    /// bytes kept since it last changed: a write costs what the processes' states cost,
    /// not what every app's environment does.
    private func tableBytes() -> (bytes: [UInt8], definitionsChanged: Bool) {
        var definitionsChanged = table.appCount != appCount
        appCount = table.appCount
        var out: [UInt8] = []
        out.reserveCapacity(sizeHint)
        let document = JSON.object(header([]))
        var head: [UInt8] = []
        document.append(to: &head, pretty: true, indent: 0)
        // `…"apps": []\n}`: keep everything up to the array's opening bracket.
        out += head.dropLast(3)
        var first = true
        for app in table.appsInOrder {
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
        sizeHint = out.count + out.count / 8
        return (out, definitionsChanged)
    }

    private func header(_ appList: [JSON]) -> JSONObject {
        [
            "version": .int(1),
            "daemon_pid": .int(Int(Processes.currentPid)),
            "next_id": .int(table.nextID),
            "apps": .array(appList),
        ]
    }

    private func processEntries(_ app: ManagedApp) -> JSON {
        .array(app.processIDs.compactMap { table.process($0) }.map { (p: ManagedProcess) -> JSON in
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
}
