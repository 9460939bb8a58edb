import ProcdCore
import ProcdPlatform
import ProcdWire

/// The new image's side of `update`: rebuild the table from the hand-over file and take
/// back every descriptor the old image left open.
extension Daemon {
    /// The descriptors named in a hand-over file, adopted before the daemon is built.
    static func adoptEndpoints(_ document: JSON) -> (lock: OwnedFD, endpoints: Endpoints)? {
        guard let lock = document["lock_fd"]?.intValue, let listener = document["listener_fd"]?.intValue,
              let notify = document["notify_fd"]?.intValue, let address = document["notify_address"]?.stringValue else { return nil }
        for fd in [lock, listener, notify] { Processes.keepAcrossExec(Int32(fd), false) }
        return (OwnedFD(adopting: Int32(lock)),
                Endpoints(listener: OwnedFD(adopting: Int32(listener)), notifySocket: OwnedFD(adopting: Int32(notify)), notifyAddress: address))
    }

    /// `recovering`: the document was rebuilt from `state.json` and the keeper's
    /// descriptors after a crash, rather than written by the image before an update.
    func adopt(_ document: JSON, recovering: Bool = false) {
        table.reserveIDs(below: document["next_id"]?.intValue ?? 0)
        // Before anything is held again: a key the new image reuses is then not dropped.
        keeper?.inherit(keys: document["keeper_keys"]?.arrayValue?.compactMap(\.stringValue) ?? [])
        for appJSON in document["apps"]?.arrayValue ?? [] { adoptApp(appJSON) }
        for entry in document["streams"]?.arrayValue ?? [] { adoptStream(entry) }
        for entry in document["retirees"]?.arrayValue ?? [] { adoptRetiree(entry) }
        let from = document["from_version"]?.stringValue ?? "?"
        if recovering {
            log.info("recovered after a crash of the previous daemon: \(table.processCount) process(es) adopted from the keeper, none restarted")
        } else {
            log.info("updated in place from procd \(from) to \(ProcdVersion.current): \(table.processCount) process(es) kept, none restarted")
        }
        if let socket = Self.adoptedFD(document["reply_fd"]), let id = document["reply_id"]?.intValue {
            answerUpdate(on: socket, id: id, from: from)
        }
        if document["keeper_keys"] != nil {
            syncKeeper()
            keeper?.forgetInherited()
        }
        // Children that ended during the exec are waiting to be reaped.
        handleChildExits()
        resyncCluster()
        state.markChanged()
    }

    /// A descriptor number the previous image left open, taken over (and closed on exec).
    private static func adoptedFD(_ value: JSON?) -> OwnedFD? {
        guard let raw = value?.intValue, raw >= 0 else { return nil }
        Processes.keepAcrossExec(Int32(raw), false)
        return OwnedFD(adopting: Int32(raw))
    }

    /// An app with its listening sockets and its slots, running processes included.
    private func adoptApp(_ appJSON: JSON) {
        guard let spec = try? AppSpec(json: appJSON) else { return }
        let app = ManagedApp(spec: spec)
        for held in appJSON["held_listeners"]?.arrayValue ?? [] {
            if let address = held["address"]?.stringValue.flatMap(ListenAddress.parse), let socket = Self.adoptedFD(held["fd"]) {
                app.listeners.append((address, socket))
            }
        }
        for held in appJSON["shared_listeners"]?.arrayValue ?? [] {
            if let port = held["port"]?.intValue, let socket = Self.adoptedFD(held["fd"]) {
                try? socket.setNonBlocking()
                app.sharedListeners[ListenAddress(host: held["host"]?.stringValue, port: port)] = socket
            }
        }
        for slot in appJSON["slots"]?.arrayValue ?? [] {
            guard let process = adoptSlot(slot, spec) else { continue }
            table.insert(process)
            app.processIDs.append(process.id)
        }
        register(app)
        for id in app.processIDs {
            guard let process = table.process(id) else { continue }
            health.rearm(process)
            prober.rearm(process)
        }
    }

    /// A slot as the previous image left it: its lifecycle, pid and channel, and the
    /// deadline its phase waits for.
    private func adoptSlot(_ slot: JSON, _ spec: AppSpec) -> ManagedProcess? {
        guard let id = slot["id"]?.intValue else { return nil }
        let process = ManagedProcess(id: id, appName: spec.name, instance: slot["instance"]?.intValue ?? 0,
                                     policy: spec.lifecyclePolicy, outLog: "", errLog: "")
        process.lifecycle = Lifecycle(json: slot["lifecycle"] ?? .null, policy: spec.lifecyclePolicy)
        process.pid = slot["pid"]?.intValue.map(Int32.init(truncatingIfNeeded:))
        process.pgid = slot["pgid"]?.intValue.map(Int32.init(truncatingIfNeeded:))
        process.startedAtWall = slot["started_wall"]?.intValue.map(Int64.init)
        process.statusText = slot["status_text"]?.stringValue
        if let channel = Self.adoptedFD(slot["channel_fd"]) { openChannel(channel, for: process) }
        switch process.lifecycle.phase {
        case .waiting(let until): wake(process, at: until)
        case .launching(let readyBy?): wake(process, at: readyBy)
        case .stopping(let killAt, let leaderExited, _):
            if let killAt { wake(process, at: killAt) }
            if leaderExited { table.markDraining(process) }
        default: break
        }
        return process
    }

    /// An output pipe, read on into the same file.
    private func adoptStream(_ entry: JSON) {
        guard let pipe = Self.adoptedFD(entry["fd"]), let processID = entry["process"]?.intValue,
              let appName = entry["app"]?.stringValue, let path = entry["path"]?.stringValue,
              let kind = entry["kind"]?.stringValue.flatMap(OutputStream.Kind.init(rawValue:)),
              let file = try? logs.file(path, table.app(appName)?.spec) else { return }
        logs.adopt(OutputStream(token: makeToken(), processID: processID, appName: appName, kind: kind, pipe: pipe,
                                 file: file, dateFormat: entry["date_format"]?.stringValue, observer: logs))
    }

    private func adoptRetiree(_ entry: JSON) {
        guard let pid = entry["pid"]?.intValue.map(Int32.init(truncatingIfNeeded:)), let slot = entry["slot"]?.intValue else { return }
        var retiree = Retiree(pid: pid, slot: slot, label: entry["label"]?.stringValue ?? "process \(slot)",
                              killSignal: Int32(entry["kill_signal"]?.intValue ?? 15),
                              killTimeout: .milliseconds(Int64(entry["kill_timeout_ms"]?.intValue ?? 1600)))
        if let channelFD = Self.adoptedFD(entry["channel_fd"]) {
            let channel = IPCChannel(token: makeToken(), processID: slot, fd: channelFD)
            if watchChannel(channel) { retiree.channel = channel }
        }
        retiree.killAt = entry["kill_at"]?.doubleValue.flatMap({ Int64(exactly: $0.rounded()) }).map({ Tick(nanoseconds: $0) })
        retirees.add(retiree)
    }

    /// The reply to `procctl update`, on the connection the previous image handed over.
    private func answerUpdate(on socket: OwnedFD, id: Int, from: String) {
        let connection = ControlConnection(token: makeToken(), fd: socket)
        guard (try? clients.serve(connection)) != nil else { return }
        connection.send(.success(id: id, result: .object([
            "version": .string(ProcdVersion.current), "previous_version": .string(from),
            "pid": .int(Int(Processes.currentPid)), "processes": .int(table.processCount),
        ])))
    }
}
