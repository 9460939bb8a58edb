import ProcdCore
import ProcdPlatform
import ProcdWire

/// The daemon's side of the keeper: the descriptors it keeps copies of, the exits it
/// reports, and the recovery of a daemon that starts after a crash.
extension Daemon {
    /// Brings the keeper's copies of the listening sockets in line with the apps' (streams
    /// and IPC channels are told as they open and close): after a change of the table.
    /// Keys: `control`, `notify`, `l` app listeners, `x` cluster sockets, `s` output
    /// streams, `i` IPC channels, each followed by a number.
    func syncKeeper() {
        guard let keeper else { return }
        keeper.synced()
        keeper.hold("control", startup.listener, meta: KeeperLink.controlMeta(startup.home))
        keeper.hold("notify", startup.notifySocket, meta: KeeperLink.notifyMeta(startup.notifyAddress))
        var wanted = Set<String>()
        for app in table.appsInOrder {
            for held in app.listeners {
                let key = "l\(held.fd.raw)"
                wanted.insert(key)
                keeper.hold(key, held.fd, meta: .object(["app": .string(app.spec.name), "address": .string(held.address.description)]))
            }
            for (address, fd) in app.sharedListeners {
                let key = "x\(fd.raw)"
                wanted.insert(key)
                keeper.hold(key, fd, meta: .object([
                    "app": .string(app.spec.name), "host": address.host.map { .string($0) } ?? .null, "port": .int(address.port),
                ]))
            }
        }
        for key in keeper.heldKeys(kinds: ["l", "x"]) where !wanted.contains(key) { keeper.drop(key) }
        watchKeeper()
    }

    /// Readable always; writable while changes wait.
    func watchKeeper() {
        guard let keeper else { return }
        loop.change(keeper.socket.raw, keeper.isBehind ? [.readable, .writable, .peerClosed] : [.readable, .peerClosed], token: keeper.token)
    }

    /// Exits the keeper reaped; a keeper gone is told once, and the daemon goes on alone.
    func serviceKeeper(_ events: Epoll.Events) {
        guard let keeper else { return }
        if events.contains(.writable) {
            keeper.flush()
            watchKeeper()
        }
        guard let exits = keeper.readExits() else {
            loop.unwatch(keeper.socket.raw, token: keeper.token)
            keeper.socket.close()
            mode.supervision = .alone
            log.warning("the keeper is gone: apps run on, but a crash of procd from now on stops them; 'procctl kill' and a new start bring it back")
            return
        }
        if !exits.isEmpty { handleChildExits(reported: exits) }
    }

    /// A daemon started by its keeper after a crash: the table from `state.json`, the
    /// descriptors the keeper held, the running processes adopted (pid and start time
    /// checked), and what exited meanwhile told with its real status.
    func recover(_ inheritance: KeeperLink.Inheritance) {
        let held = inheritance.held
        guard let bytes = try? File.read(startup.home.stateFile), let state = try? JSONParser.parse(bytes: bytes) else {
            log.warning("the keeper held \(held.count) descriptor(s) but \(startup.home.stateFile) cannot be read; starting afresh")
            restoreState()
            keeper?.forgetInherited()
            return
        }
        var recovery = Recovery(held: held, reaped: Dictionary(inheritance.exits.map { ($0.pid, $0.status) }, uniquingKeysWith: { first, _ in first }))
        var appList: [JSON] = []
        for appJSON in state["apps"]?.arrayValue ?? [] {
            guard let app = recovery.app(appJSON, log: log) else { continue }
            appList.append(app)
        }
        let streamList: [JSON] = recovery.take("s", where: { _ in true }).map { entry in
            guard case .object(var object) = entry.meta else { return .null }
            object["fd"] = .int(Int(entry.fd))
            return .object(object)
        }
        let exits = recovery.exits
        let recorded = recovery.recorded
        adopt(.object(["apps": .array(appList), "streams": .array(streamList), "next_id": state["next_id"] ?? .int(0)]), recovering: true)
        // Processes of this home the table does not know (a restart the crash interrupted,
        // an instance being retired) are stopped, as at any start, before anything starts.
        stopStrays(known: recorded)
        for exit in exits {
            guard let process = table.process(pid: exit.pid) else { continue }
            log.info("\(process.label): pid \(exit.pid) exited while procd was away (\(exit.status))")
        }
        handleChildExits(reported: exits)
        syncKeeper()
        keeper?.forgetInherited()
    }
}

extension KeeperLink {
    /// Keeps a copy of an output pipe's read end, with what a later daemon needs to go on
    /// reading it into the same file.
    func holdStream(_ stream: OutputStream) {
        hold("s\(stream.token)", stream.pipe, meta: .object([
            "process": .int(stream.processID), "app": .string(stream.appName), "kind": .string(stream.kind.rawValue),
            "path": .string(stream.file.path), "date_format": stream.dateFormat.map { .string($0) } ?? .null,
        ]))
    }
}

/// What a daemon started after a crash makes of the keeper's inheritance and state.json:
/// each app's slots with the descriptors the keeper held for them, and the exits to tell.
private struct Recovery {
    var held: [String: (fd: OwnedFD, meta: JSON)]
    let reaped: [Int32: ExitStatus]
    var exits: [Processes.Reaped] = []
    /// The pids state.json records.
    var recorded = Set<Int32>()

    init(held: [String: (fd: OwnedFD, meta: JSON)], reaped: [Int32: ExitStatus]) {
        self.held = held
        self.reaped = reaped
    }

    /// The descriptors held under keys of `kind` whose metadata `matches`, taken out.
    mutating func take(_ kind: Character, where matches: (JSON) -> Bool) -> [(fd: Int32, meta: JSON)] {
        let keys = held.keys.filter { $0.first == kind && matches(held[$0]?.meta ?? .null) }.sorted()
        return keys.compactMap { key in held.removeValue(forKey: key).map { ($0.fd.release(), $0.meta) } }
    }

    /// An app of state.json with its slots and listening sockets, as `adopt` reads them.
    mutating func app(_ appJSON: JSON, log: DaemonLog) -> JSON? {
        guard case .object(var object) = appJSON, let name = appJSON["name"]?.stringValue else { return nil }
        object["slots"] = .array((appJSON["processes"]?.arrayValue ?? []).compactMap { slot($0, app: name, log: log) })
        object["held_listeners"] = .array(take("l", where: { $0["app"]?.stringValue == name }).map {
            .object(["address": $0.meta["address"] ?? .null, "fd": .int(Int($0.fd))])
        })
        object["shared_listeners"] = .array(take("x", where: { $0["app"]?.stringValue == name }).map {
            .object(["host": $0.meta["host"] ?? .null, "port": $0.meta["port"] ?? .null, "fd": .int(Int($0.fd))])
        })
        return .object(object)
    }

    /// A process slot: its pid checked against its recorded start, its exit taken from
    /// what the keeper reaped (or lost, when it ended unseen), its IPC channel.
    private mutating func slot(_ entry: JSON, app name: String, log: DaemonLog) -> JSON? {
        guard let id = entry["id"]?.intValue else { return nil }
        var slot: JSONObject = ["id": .int(id), "instance": entry["instance"] ?? .int(0), "lifecycle": entry["lifecycle"] ?? .null]
        for field in ["pgid", "started_wall", "status_text"] { if let value = entry[field] { slot[field] = value } }
        if let pid = entry["pid"]?.intValue.map(Int32.init(truncatingIfNeeded:)) {
            recorded.insert(pid)
            slot["pid"] = .int(Int(pid))
            let alive = entry["pid_start"]?.intValue.map(Int64.init) == ProcFS.stat(pid)?.startTime
            if let status = reaped[pid] {
                exits.append(Processes.Reaped(pid: pid, status: status))
            } else if !alive {
                log.warning("\(name) (id \(id)): pid \(pid) ended while procd was away and its status is lost")
                exits.append(Processes.Reaped(pid: pid, status: .signal(Signals.kill)))
            }
        }
        if let channel = take("i", where: { $0["process"]?.intValue == id }).first { slot["channel_fd"] = .int(Int(channel.fd)) }
        return .object(slot)
    }
}
