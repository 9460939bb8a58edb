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
        func fd(_ value: JSON?) -> OwnedFD? {
            guard let raw = value?.intValue, raw >= 0 else { return nil }
            Processes.keepAcrossExec(Int32(raw), false)
            return OwnedFD(adopting: Int32(raw))
        }
        table.reserveIDs(below: document["next_id"]?.intValue ?? 0)
        // Before anything is held again: a key the new image reuses is then not dropped.
        keeper?.inherit(keys: document["keeper_keys"]?.arrayValue?.compactMap(\.stringValue) ?? [])
        for appJSON in document["apps"]?.arrayValue ?? [] {
            guard let spec = try? AppSpec(json: appJSON) else { continue }
            let app = ManagedApp(spec: spec)
            for held in appJSON["held_listeners"]?.arrayValue ?? [] {
                if let address = held["address"]?.stringValue.flatMap(ListenAddress.parse), let socket = fd(held["fd"]) {
                    app.listeners.append((address, socket))
                }
            }
            for held in appJSON["shared_listeners"]?.arrayValue ?? [] {
                if let port = held["port"]?.intValue, let socket = fd(held["fd"]) {
                    app.sharedListeners[ListenAddress(host: held["host"]?.stringValue, port: port)] = socket
                }
            }
            for slot in appJSON["slots"]?.arrayValue ?? [] {
                guard let id = slot["id"]?.intValue else { continue }
                let process = ManagedProcess(id: id, appName: spec.name, instance: slot["instance"]?.intValue ?? 0,
                                             policy: spec.lifecyclePolicy, outLog: "", errLog: "")
                process.lifecycle = Lifecycle(json: slot["lifecycle"] ?? .null, policy: spec.lifecyclePolicy)
                process.pid = slot["pid"]?.intValue.map(Int32.init(truncatingIfNeeded:))
                process.pgid = slot["pgid"]?.intValue.map(Int32.init(truncatingIfNeeded:))
                process.startedAtWall = slot["started_wall"]?.intValue.map(Int64.init)
                process.statusText = slot["status_text"]?.stringValue
                if let channel = fd(slot["channel_fd"]) { openChannel(channel, for: process) }
                switch process.lifecycle.phase {
                case .waiting(let until): wake(process, at: until)
                case .launching(let readyBy?): wake(process, at: readyBy)
                case .stopping(let killAt, let leaderExited, _):
                    if let killAt { wake(process, at: killAt) }
                    if leaderExited { table.markDraining(process) }
                default: break
                }
                table.insert(process)
                app.processIDs.append(id)
            }
            register(app)
            for id in app.processIDs { if let process = table.process(id) { health.rearm(process) } }
        }
        for entry in document["streams"]?.arrayValue ?? [] {
            guard let pipe = fd(entry["fd"]), let processID = entry["process"]?.intValue,
                  let appName = entry["app"]?.stringValue, let path = entry["path"]?.stringValue,
                  let kind = entry["kind"]?.stringValue.flatMap(OutputStream.Kind.init(rawValue:)),
                  let file = try? logs.file(path, table.app(appName)?.spec) else { continue }
            logs.attach(OutputStream(token: makeToken(), processID: processID, appName: appName, kind: kind, pipe: pipe,
                                  file: file, dateFormat: entry["date_format"]?.stringValue, observer: logs))
        }
        for entry in document["retirees"]?.arrayValue ?? [] {
            guard let pid = entry["pid"]?.intValue.map(Int32.init(truncatingIfNeeded:)), let slot = entry["slot"]?.intValue else { continue }
            var retiree = Retiree(pid: pid, slot: slot, label: entry["label"]?.stringValue ?? "process \(slot)",
                                  killSignal: Int32(entry["kill_signal"]?.intValue ?? 15),
                                  killTimeout: .milliseconds(Int64(entry["kill_timeout_ms"]?.intValue ?? 1600)))
            if let channelFD = fd(entry["channel_fd"]) {
                let channel = IPCChannel(token: makeToken(), processID: slot, fd: channelFD)
                if watchChannel(channel) { retiree.channel = channel }
            }
            retiree.killAt = entry["kill_at"]?.doubleValue.flatMap({ Int64(exactly: $0.rounded()) }).map({ Tick(nanoseconds: $0) })
            retirees.add(retiree)
        }
        let from = document["from_version"]?.stringValue ?? "?"
        if recovering {
            log.info("recovered after a crash of the previous daemon: \(table.processCount) process(es) adopted from the keeper, none restarted")
        } else {
            log.info("updated in place from procd \(from) to \(ProcdVersion.current): \(table.processCount) process(es) kept, none restarted")
        }
        if let socket = fd(document["reply_fd"]), let id = document["reply_id"]?.intValue {
            let connection = ControlConnection(token: makeToken(), fd: socket)
            if (try? clients.serve(connection)) != nil {
                connection.send(.success(id: id, result: .object([
                    "version": .string(ProcdVersion.current), "previous_version": .string(from),
                    "pid": .int(Int(Processes.currentPid)), "processes": .int(table.processCount),
                ])))
            }
        }
        if document["keeper_keys"] != nil {
            syncKeeper()
            keeper?.forgetInherited()
        }
        // Children that ended during the exec are waiting to be reaped.
        handleChildExits()
        state.markChanged()
    }
}
