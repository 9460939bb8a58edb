import ProcdCore
import ProcdPlatform
import ProcdWire

extension Daemon {
    /// Whether a request of this client is still waiting for its reply.
    func owesReplies(_ connection: ControlConnection) -> Bool {
        let token = connection.token
        return pending.owes(token) || logs.isFollowing(token) || events.isSubscribed(token)
    }

    /// A client has gone: what it waited for is forgotten.
    func clientLeft(_ token: UInt64) {
        pending.forget(token)
        logs.unfollow(token)
        events.unsubscribe(token)
    }

    func reply(_ connection: ControlConnection, _ id: Int, _ result: Result<JSON, WireError>) {
        switch result {
        case .success(let value): connection.send(.success(id: id, result: value))
        case .failure(let error): connection.send(.failure(id: id, error))
        }
    }
}

extension Daemon {
    /// Sends the replies whose processes have settled.
    func settleWaiters() {
        let settled = pending.takeSettled { waiter in
            clients.connection(waiter.connection) == nil || waiter.ids.allSatisfy { isSettled(table.process($0), waiter.condition) }
        }
        for waiter in settled {
            guard let connection = clients.connection(waiter.connection) else { continue }
            connection.send(.success(id: waiter.requestID, result: settledResult(waiter)))
            if waiter.thenShutdown {
                connection.flush()
                beginShutdown(Shutdown(exitCode: 0, forgetState: true), reason: "kill requested")
            }
        }
    }

    /// `{"processes": […]}`, and for a batch also `"apps"`: each app's processes or error.
    private func settledResult(_ waiter: Waiter) -> JSON {
        func snapshots(_ ids: [Int]) -> JSON {
            .array(ids.compactMap { id in table.process(id).map(settledSnapshot) ?? deleted(waiter.before[id]) })
        }
        var result: JSONObject = ["processes": snapshots(waiter.ids)]
        if let apps = waiter.apps {
            result["apps"] = .array(apps.map { outcome in
                var entry: JSONObject = ["name": .string(outcome.name)]
                if let error = outcome.error {
                    entry["error"] = .object(["code": .string(error.code.rawValue), "message": .string(error.message)])
                } else {
                    entry["processes"] = snapshots(outcome.ids)
                }
                if let replaced = outcome.replaced { entry["replaced"] = .string(replaced) }
                return .object(entry)
            })
        }
        return .object(result)
    }

    /// A process as a settled reply reports it: an errored one carries its last stderr
    /// lines; one whose start failed (no readiness signal) while procd retries it is marked
    /// `"start_failed": true`, with those lines too.
    private func settledSnapshot(_ process: ManagedProcess) -> JSON {
        let json = snapshot(process, measure: false).json
        let startFailed = process.lifecycle.readinessFailed && process.lifecycle.status != .errored
        guard process.lifecycle.status == .errored || startFailed, case .object(var object) = json else { return json }
        object["stderr_tail"] = .array(logs.stderrTail(process.id).map { .string($0) })
        if startFailed { object["start_failed"] = .bool(true) }
        return .object(object)
    }

    /// A removed process's last snapshot, marked `"deleted": true`.
    private func deleted(_ json: JSON?) -> JSON? {
        guard case .object(var object)? = json else { return nil }
        object["status"] = .string(ProcessStatus.stopped.rawValue)
        object["pid"] = .null
        object["deleted"] = .bool(true)
        return .object(object)
    }

    /// Makes the loop turn at `tick`, when a start waiting for its verdict is looked at
    /// again; one deadline at a time, the earliest.
    private func wakeForVerdict(at tick: Tick) {
        if let current = verdictWakeAt, current <= tick, current > Clock.now() { return }
        verdictWakeAt = tick
        loop.schedule(at: tick, isCurrent: { [weak self] at in self?.verdictWakeAt == at }) { [weak self] _ in
            self?.verdictWakeAt = nil
        }
    }

    private func isSettled(_ process: ManagedProcess?, _ condition: Waiter.Condition) -> Bool {
        guard let process else { return true }
        switch condition {
        case .removed: return false
        case .halted: return !process.lifecycle.isRunning && process.lifecycle.status != .stopping
        case .started:
            if let next = verdictPending(process, at: Clock.now()) {
                wakeForVerdict(at: next)
                return false
            }
            return isSettled(process, .settled)
        case .settled:
            switch process.lifecycle.status {
            case .online, .stopped, .errored, .waiting: return true
            // A failed start is the answer; the retries procd goes on with are not awaited.
            case .launching, .stopping: return process.lifecycle.readinessFailed
            }
        }
    }
}
