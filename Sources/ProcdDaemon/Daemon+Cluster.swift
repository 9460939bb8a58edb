import ProcdCore
import ProcdPlatform
import ProcdWire

extension Daemon {
    func beginReload(_ ids: [Int], request: Request, connection: ControlConnection) {
        pending.startReload(ReloadJob(connection: connection.token, requestID: request.id, pending: ids))
        advanceReloads()
    }

    /// Moves each reload on when its current slot has settled.
    func advanceReloads() {
        pending.advanceReloads { job in
            while true {
                if let current = job.current {
                    if let p = table.process(current), [.launching, .stopping].contains(p.lifecycle.status) { break }
                    job.done.append(current)
                    job.current = nil
                }
                guard !job.pending.isEmpty else { break }
                let next = job.pending.removeFirst()
                guard let p = table.process(next) else { continue }
                job.current = next
                apply(.reload, to: p)
            }
            guard job.current == nil && job.pending.isEmpty else { return false }
            if let connection = clients.connection(job.connection) {
                let snapshots = job.done.compactMap { table.process($0) }.map { snapshot($0, measure: false).json }
                connection.send(.success(id: job.requestID, result: .object(["processes": .array(snapshots)])))
            }
            return true
        }
    }

    /// `scale`: sets the instance count; new instances are started, extra ones deleted.
    func scale(_ args: JSON, request: Request, connection: ControlConnection) {
        // Types first, so a malformed request is told so whatever the table holds.
        guard let name = args["app"]?.stringValue else {
            reply(connection, request.id, .failure(WireError(.invalidArgument, "'app' must be a string")))
            return
        }
        guard let text = args["count"]?.stringValue ?? args["count"]?.intValue.map(String.init) else {
            reply(connection, request.id, .failure(WireError(.invalidArgument, "'count' must be N, +N or -N")))
            return
        }
        guard let app = table.app(name) else {
            let suggestion = TargetSelector.closest(to: name, in: table.appNames).map { " (did you mean '\($0)'?)" } ?? ""
            reply(connection, request.id, .failure(WireError(.notFound, "no app named '\(name)'\(suggestion)")))
            return
        }
        let current = app.spec.instances
        let wanted: Int?
        if text.hasPrefix("+") {
            wanted = Int(text.dropFirst()).map { current + $0 }
        } else if text.hasPrefix("-") {
            wanted = Int(text.dropFirst()).map { current - $0 }
        } else {
            wanted = Int(text)
        }
        guard let wanted, (1...100_000).contains(wanted) else {
            reply(connection, request.id, .failure(WireError(.invalidArgument, "cannot scale '\(name)' to '\(text)': the result must be 1 to 100000 instances (use 'delete' to remove the app)")))
            return
        }
        let before = Set(app.processIDs)
        app.spec.instances = wanted
        reconcileSlots(app)
        let added = app.processIDs.filter { !before.contains($0) }
        for id in added { if let p = table.process(id) { apply(.start, to: p) } }
        log.info("\(name): scaled from \(current) to \(wanted) instance(s)")
        emit(.scale, app: name, ["from": .int(current), "instances": .int(wanted)])
        let ids = wanted >= current ? app.processIDs : Array(before).sorted()
        pending.hold(Waiter(connection: connection.token, requestID: request.id, ids: ids, condition: .settled))
    }

    /// `send`: a JSON message to each targeted Node process's `process.on('message')`.
    func sendMessage(_ args: JSON, to targets: [ManagedProcess]) -> JSON {
        let message = args["message"] ?? .null
        return .array(targets.map { p in
            var entry: JSONObject = ["id": .int(p.id), "name": .string(p.appName)]
            if let channel = p.channel, channel.send(message) {
                entry["sent"] = .bool(true)
                if channel.wantsWrite { updateInterest(channel) }
            } else {
                entry["sent"] = .bool(false)
                entry["error"] = .string(p.pid == nil ? "not running" : "no IPC channel (only Node apps have one)")
            }
            return .object(entry)
        })
    }

    /// Opens the app's listening sockets, reusing those it already holds.
    func openListeners(for spec: AppSpec, reusing existing: [(address: ListenAddress, fd: OwnedFD)]) throws(WireError)
        -> [(address: ListenAddress, fd: OwnedFD)] {
        var opened: [(address: ListenAddress, fd: OwnedFD)] = []
        for address in spec.listen {
            if let held = existing.first(where: { $0.address == address }) {
                opened.append(held)
                continue
            }
            do {
                opened.append((address, try Sockets.listenTCP(host: address.host, port: address.port)))
            } catch {
                for fresh in opened where !existing.contains(where: { $0.fd === fresh.fd }) { fresh.fd.close() }
                let why = error.code == Errno.addressInUse ? "the port is already in use" : error.reason
                throw WireError(.spawnFailed, "cannot listen on \(address) for '\(spec.name)': \(why); choose another --port or stop what uses it")
            }
        }
        return opened
    }
}
