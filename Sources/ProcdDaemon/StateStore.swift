import ProcdCore
import ProcdPlatform

extension Daemon {
    /// Rewrites `state.json` atomically with the whole table: apps and their processes.
    func persistState() {
        stateDirty = false
        var appList: [JSON] = []
        for name in appOrder {
            guard let app = apps[name], case .object(var object) = app.spec.json else { continue }
            object["processes"] = .array(app.processIDs.compactMap { processes[$0] }.map { p in
                .object([
                    "id": .int(p.id),
                    "instance": .int(p.instance),
                    "pid": p.pid.map { .int(Int($0)) } ?? .null,
                    "status": .string(p.lifecycle.status.rawValue),
                    "restarts": .int(p.lifecycle.restarts),
                ])
            })
            appList.append(.object(object))
        }
        let document: JSON = .object([
            "version": .int(1),
            "daemon_pid": .int(Int(Processes.currentPid)),
            "next_id": .int(nextProcessID),
            "apps": .array(appList),
        ])
        do {
            try File.writeAtomically(home.stateFile, document.serialized(pretty: true) + "\n")
        } catch {
            log.warning("unable to write \(home.stateFile): \(error)")
        }
    }
}
