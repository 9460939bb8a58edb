import ProcdCore
import ProcdPlatform

extension Daemon {
    /// Feeds one event to a process's lifecycle and performs the effects it returns.
    func apply(_ event: Lifecycle.Event, to process: ManagedProcess) {
        let event = stack.gate(event, process) ?? event
        let now = Clock.now()
        let previous = process.lifecycle.status
        let startedAt = process.lifecycle.startedAt
        let effects = process.lifecycle.handle(event, at: now)
        state.markChanged()
        emitLifecycle(event, process, from: previous, startedAt: startedAt, at: now)
        for effect in effects {
            switch effect {
            case .spawn:
                spawn(process)
            case .signalGroup(let signal):
                // Asked to stop: no new connection goes its way (cluster balancing).
                if process.lifecycle.status == .stopping, let channel = process.channel { dealer.leave(channel.token) }
                guard let pgid = process.pgid else { continue }
                if signal == process.lifecycle.policy.killSignal, process.lifecycle.status == .stopping,
                   let spec = table.app(process.appName)?.spec, let command = spec.stopCommand,
                   stopCommands.run(command, for: process, stopCommandRequest(command, for: process, spec)) {
                    continue
                }
                do {
                    try Processes.signalGroup(pgid, signal)
                } catch {
                    log.warning("\(process.label): could not send \(Signals.name(of: signal)): \(error)")
                }
                signalStrays(process, signal)
            case .wake(let at):
                wake(process, at: at)
            case .remove:
                remove(process)
            case .log(let message):
                log.info("\(process.label): \(message)")
            case .retire:
                retire(process)
            case .stopRetired:
                retirees.stop(slot: process.id)
            }
        }
        if !process.lifecycle.isRunning && process.lifecycle.status != .stopping { process.pgid = nil }
        health.processChanged(process, from: previous, spawned: event == .spawned)
        prober.processChanged(process, spawned: event == .spawned)
        stack.noted(event, process, from: previous)
    }

    /// Starts (or holds again, or abandons) what waits for apps that changed this turn,
    /// until nothing more follows; each round is one layer of the stack.
    func releaseHeld() {
        for _ in 0..<Self.maximumStackDepth {
            let steps = stack.settle()
            let stops = stack.dueStops { [table] id in
                guard let process = table.process(id) else { return true }
                return !process.lifecycle.isRunning && process.lifecycle.status != .stopping
            }
            if steps.isEmpty && stops.isEmpty { return }
            for (process, event) in steps where table.process(process.id) === process { apply(event, to: process) }
            for (id, event) in stops { if let process = table.process(id) { apply(event, to: process) } }
        }
    }

    /// Stops (or deletes) `targets` dependents first: each layer once the one above it
    /// has stopped; the rest follow from `releaseHeld` at the end of the turns.
    func stopInOrder(_ targets: [ManagedProcess], _ event: Lifecycle.Event) {
        let layers = stack.stopLayers(targets)
        for process in layers.first ?? [] { apply(event, to: process) }
        stack.queue(layers.map { $0.map(\.id) }, event)
    }

    /// Rounds of `releaseHeld` a turn: deeper stacks go on at the next turn.
    static let maximumStackDepth = 64

    /// Reaps the daemon's children; `reported` are exits the keeper reaped for it.
    func handleChildExits(reported: [Processes.Reaped] = []) {
        // Exits reparent their children to procd: the adopted list is read again.
        adopted.forget()
        for reaped in Processes.reapAll() + reported {
            if retirees.reaped(reaped.pid, reaped.status) || prober.reaped(reaped.pid, reaped.status)
                || stopCommands.reaped(reaped.pid, reaped.status) { continue }
            guard let process = table.unbind(reaped.pid) else { continue }
            process.pid = nil
            sampler.stopped(process.id)
            log.info("\(process.label): pid \(reaped.pid) exited (\(reaped.status))")
            if let left = forkedIntoBackground(process, reaped.status) {
                let group = process.pgid
                apply(.forkedAway(Self.backgroundReason(table.app(process.appName)?.spec.command.first ?? "", left)), to: process)
                stopLeftBehind(left, of: process, group: group)
                continue
            }
            apply(.exited(reaped.status, groupAlive: treeAlive(process)), to: process)
            explainAddressInUse(process)
            if case .stopping(_, true, _) = process.lifecycle.phase { table.markDraining(process) }
        }
        // An orphaned member of a stopping group may have been reaped just now.
        for process in table.drainingProcesses() where !treeAlive(process) {
            table.doneDraining(process)
            apply(.groupGone, to: process)
        }
    }

    /// Feeds `.timer` to the process at `at`, unless by then (or when the loop is about to
    /// sleep) its lifecycle no longer waits for that tick.
    func wake(_ process: ManagedProcess, at: Tick) {
        let id = process.id
        loop.schedule(at: at, isCurrent: { [weak self] at in
            guard let self else { return false }
            switch self.table.process(id)?.lifecycle.phase {
            case .waiting(let until)?: return at == until
            case .launching(let readyBy?)?: return at == readyBy
            case .stopping(let killAt?, _, _)?: return at == killAt
            default: return false
            }
        }) { [weak self] _ in
            guard let self else { return }
            if let process = self.table.process(id) { self.apply(.timer, to: process) }
        }
    }

    /// Takes the running process out of its slot; it runs on until `Retirees.stop`.
    private func retire(_ process: ManagedProcess) {
        guard let pid = process.pid else { return }
        sampler.stopped(process.id)
        table.unbind(pid)
        retirees.add(Retiree(pid: pid, slot: process.id, label: process.label, killSignal: process.lifecycle.policy.killSignal,
                             killTimeout: process.lifecycle.policy.killTimeout, channel: process.channel))
        process.pid = nil
        process.pgid = nil
        process.channel = nil
        log.info("\(process.label): pid \(pid) retired; it runs until its replacement is online")
    }

    private func remove(_ process: ManagedProcess) {
        table.removeProcess(process)
        stack.forget(process.id)
        health.forget(processID: process.id)
        sampler.forget(process.id)
        prober.forget(process.id)
        if let channel = process.channel { closeChannel(channel) }
        guard let app = table.app(process.appName) else { return }
        app.processIDs.removeAll { $0 == process.id }
        // A later app of the same name starts with empty files: its logs must not show
        // lines of this one as its own. The old lines stay in NAME-out.log.1 and so on.
        logs.closeStreams(ofProcess: process.id)
        let inUse = Set(app.processIDs.compactMap { table.process($0) }.flatMap { [$0.outLog, $0.errLog] })
        for path in Set([process.outLog, process.errLog]) where startup.settings.writesLogFiles && !inUse.contains(path) && !logs.isOpen(path) {
            do {
                try LogFile.shiftAside(path, retain: app.spec.logRetain ?? startup.settings.logRetain)
            } catch {
                log.warning("\(process.label): unable to move \(path) aside: \(error)")
            }
        }
        if app.processIDs.isEmpty {
            health.forget(app: app)
            for held in app.listeners { held.fd.close() }
            app.listeners = []
            dealer.forget(app: app.spec.name)
            for held in app.sharedListeners.values { held.close() }
            app.sharedListeners = [:]
            table.removeApp(process.appName)
            log.info("\(process.appName): deleted")
        }
    }
}
