import ProcdCore
import ProcdPlatform
import ProcdWire

/// `update`: the daemon re-executes its binary in place. The pid, the children, their
/// pipes, the listening sockets and the control socket all survive execve(2); the table
/// travels in a hand-over file, and the new image answers the client that asked.
extension Daemon {
    var handoffPath: String { startup.home.root + "/handoff.json" }

    func upgradeInPlace(request: Request, connection: ControlConnection) {
        guard !pending.isReloading else {
            reply(connection, request.id, .failure(WireError(.invalidArgument, "a reload is in progress; run 'procctl update' when it has finished")))
            return
        }
        guard let executable = startup.executable, File.isExecutable(executable) else {
            reply(connection, request.id, .failure(WireError(.notFound, "the procd executable \(startup.executable ?? "?") is gone; reinstall it, then run 'procctl update'")))
            return
        }
        connection.flush()
        var kept: [Int32] = [startup.lock.raw, startup.listener.raw, startup.notifySocket.raw, connection.fd.raw] + (keeper.map { [$0.socket.raw] } ?? [])
        let document = handOverDocument(replyTo: connection, request: request, keeping: &kept)
        do {
            try File.writeAtomically(handoffPath, document.serialized() + "\n")
        } catch {
            reply(connection, request.id, .failure(WireError(.internalError, "unable to write \(handoffPath): \(error)")))
            return
        }
        state.write()
        log.info("updating in place: executing \(executable) (pid \(Processes.currentPid) stays)")
        for fd in kept { Processes.keepAcrossExec(fd, true) }
        var env = Environment.all()
        env[EnvironmentName.readyFD] = nil
        env[EnvironmentName.home] = startup.home.root
        emit(.daemon, app: "procd", ["action": .string("update")])
        clients.flushAll()
        let failure = Processes.replaceImage(path: executable, argv: newImageArguments(executable), env: env.map { "\($0.key)=\($0.value)" })
        for fd in kept { Processes.keepAcrossExec(fd, false) }
        try? File.remove(handoffPath)
        log.error("update failed: \(failure)")
        reply(connection, request.id, .failure(WireError(.internalError, "update failed: \(failure)")))
    }

    /// The new image's command line: the hand-over file, and the settings this one was
    /// started with.
    private func newImageArguments(_ executable: String) -> [String] {
        var argv = [executable, "--foreground", "--handoff", handoffPath]
        if startup.settings.logMaxSize > 0 { argv += ["--log-max-size", String(startup.settings.logMaxSize)] }
        argv += ["--log-retain", String(startup.settings.logRetain)]
        if let address = http?.address { argv += ["--http", address.host == nil ? "*:\(address.port)" : address.description] }
        return argv
    }

    /// Everything the new image needs to go on: the table with pids and lifecycles, and
    /// the descriptor numbers it inherits (each added to `kept`, to survive the exec).
    private func handOverDocument(replyTo connection: ControlConnection, request: Request, keeping kept: inout [Int32]) -> JSON {
        var appList: [JSON] = []
        for app in table.appsInOrder {
            guard case .object(var object) = app.spec.json else { continue }
            object["held_listeners"] = .array(app.listeners.map { .object(["address": .string($0.address.description), "fd": .int(Int($0.fd.raw))]) })
            kept += app.listeners.map { $0.fd.raw }
            object["shared_listeners"] = .array(app.sharedListeners.map { address, fd in
                .object(["host": address.host.map { .string($0) } ?? .null, "port": .int(address.port), "fd": .int(Int(fd.raw))])
            })
            kept += app.sharedListeners.values.map(\.raw)
            object["slots"] = .array(app.processIDs.compactMap { table.process($0) }.map { handOverSlot($0, keeping: &kept) })
            appList.append(.object(object))
        }
        // Partial lines go to their files now: the new image continues them in place.
        let streamList = logs.handOver(keeping: &kept)
        let retireeList = retirees.handOver(keeping: &kept)
        return .object([
            "version": .int(1),
            "from_version": .string(ProcdVersion.current),
            "lock_fd": .int(Int(startup.lock.raw)),
            "listener_fd": .int(Int(startup.listener.raw)),
            "notify_fd": .int(Int(startup.notifySocket.raw)),
            "notify_address": .string(startup.notifyAddress),
            "reply_fd": .int(Int(connection.fd.raw)),
            "reply_id": .int(request.id),
            "next_id": .int(table.nextID),
            "apps": .array(appList),
            "streams": .array(streamList),
            "retirees": .array(retireeList),
            // The new image holds under keys of its own, then lets the keeper drop these.
            "keeper_keys": .array((keeper?.heldKeys(kinds: []) ?? []).map { .string($0) }),
        ])
    }

    private func handOverSlot(_ p: ManagedProcess, keeping kept: inout [Int32]) -> JSON {
        var entry: JSONObject = ["id": .int(p.id), "instance": .int(p.instance), "lifecycle": p.lifecycle.json]
        if let pid = p.pid { entry["pid"] = .int(Int(pid)) }
        if let pgid = p.pgid { entry["pgid"] = .int(Int(pgid)) }
        if let wall = p.startedAtWall { entry["started_wall"] = .int(Int(wall)) }
        if let channel = p.channel {
            entry["channel_fd"] = .int(Int(channel.fd.raw))
            kept.append(channel.fd.raw)
        }
        if let text = p.statusText { entry["status_text"] = .string(text) }
        return .object(entry)
    }
}
