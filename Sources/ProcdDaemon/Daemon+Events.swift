import ProcdCore
import ProcdPlatform
import ProcdWire

extension Daemon {
    /// `events`: subscribes the client to lifecycle events until it leaves.
    func subscribeEvents(_ args: JSON, request: Request, connection: ControlConnection) {
        let targets: [String]
        do {
            targets = try FieldReader(args).strings("targets") ?? []
        } catch {
            reply(connection, request.id, .failure(WireError(.invalidArgument, "\(error)")))
            return
        }
        events.subscribe(connection, requestID: request.id, filter: TargetFilter(targets) { table.app($0) != nil })
        connection.send(.event(id: request.id, .object(["subscribed": .bool(true)])))
    }

    /// Publishes one event about a process.
    func emit(_ kind: ProcessEvent.Kind, _ process: ManagedProcess, pid: Int32? = nil, _ details: JSONObject = [:]) {
        guard !events.isEmpty else { return }
        events.publish(ProcessEvent(kind, time: Clock.wallMilliseconds(), app: process.appName,
                                    namespace: table.app(process.appName)?.spec.namespace ?? "default",
                                    id: process.id, instance: process.instance, pid: pid ?? process.pid ?? process.lastPid, details: details))
    }

    /// Publishes an event about an app or the daemon itself.
    func emit(_ kind: ProcessEvent.Kind, app: String, _ details: JSONObject) {
        guard !events.isEmpty else { return }
        events.publish(ProcessEvent(kind, time: Clock.wallMilliseconds(), app: app,
                                    namespace: table.app(app)?.spec.namespace ?? "default",
                                    pid: app == "procd" ? Processes.currentPid : nil, details: details))
    }

    /// The events one lifecycle step stands for, published before its effects run (so an
    /// exit is told before the restart it causes).
    func emitLifecycle(_ event: Lifecycle.Event, _ process: ManagedProcess, from before: ProcessStatus, startedAt: Tick?, at now: Tick) {
        if case .exited(let status, _) = event { recordExit(process, status, from: before) }
        guard !events.isEmpty else { return }
        let lifecycle = process.lifecycle
        for kind in ProcessEvent.kinds(for: event, from: before, to: lifecycle) {
            var details: JSONObject = [:]
            switch kind {
            case .exit:
                if case .exited(let status, _) = event {
                    switch status {
                    case .code(let code): details["code"] = .int(Int(code))
                    case .signal(let signal): details["signal"] = .string(Signals.name(of: signal))
                    }
                }
                if let startedAt { details["uptime_ms"] = .int(Int((now - startedAt).milliseconds)) }
                details["reason"] = .string(lifecycle.lastReason ?? "")
                details["stderr_tail"] = .array(logs.stderrTail(process.id).map { .string($0) })
            case .waiting:
                details["reason"] = .string(lifecycle.lastReason ?? "")
            case .errored:
                details["reason"] = .string(lifecycle.lastReason ?? "")
                details["stderr_tail"] = .array(logs.stderrTail(process.id).map { .string($0) })
            case .restart, .stopped, .stopping:
                details["reason"] = .string(lifecycle.lastReason ?? "")
                details["restarts"] = .int(lifecycle.restarts)
            default:
                break
            }
            emit(kind, process, details)
        }
    }

    /// Keeps what the process wrote to stderr last, and counts the exit by its reason.
    private func recordExit(_ process: ManagedProcess, _ status: ExitStatus, from before: ProcessStatus) {
        // Everything the process wrote before it died is in the pipe now: take it first.
        logs.ended(process.id)
        let reason: String
        switch (before, status) {
        case (.stopping, _): reason = "requested"
        case (_, .code(0)): reason = "exited"
        case (_, .code): reason = "failed"
        case (_, .signal): reason = "killed"
        }
        process.exits[reason, default: 0] += 1
    }
}
