import ProcdCore
import ProcdPlatform
import ProcdWire

extension Daemon {
    /// `save`: writes the table to `dump.json` for `resurrect` (and boot start).
    func saveDump() -> Result<JSON, WireError> {
        do {
            try File.writeAtomically(startup.home.dumpFile, state.document().serialized(pretty: true) + "\n")
        } catch {
            return .failure(WireError(.notSaved, "unable to write \(startup.home.dumpFile): \(error.reason); nothing was saved"))
        }
        log.info("saved \(table.appCount) app(s) to \(startup.home.dumpFile)")
        return .success(.object(["file": .string(startup.home.dumpFile), "apps": .int(table.appCount)]))
    }

    /// `resurrect`: starts the apps of `dump.json` that the table does not have yet. Apps
    /// that had a process running when saved are started; the others are added stopped.
    /// - Returns: the ids of the processes created.
    func resurrect() -> Result<[Int], WireError> {
        let document: JSON
        do {
            document = try JSONParser.parse(bytes: try File.read(startup.home.dumpFile))
        } catch let error as SystemError where error.code == Errno.noEntry {
            return .failure(WireError(.notFound, "\(startup.home.dumpFile) does not exist; run 'procctl save' first"))
        } catch {
            return .failure(WireError(.invalidArgument, "\(startup.home.dumpFile) could not be read: \(error)"))
        }
        var created: [Int] = []
        var skipped: [String] = []
        for (appJSON, spec) in apps(in: document, from: startup.home.dumpFile) {
            guard table.app(spec.name) == nil else {
                skipped.append(spec.name)
                continue
            }
            let app = ManagedApp(spec: spec)
            do {
                app.listeners = try openListeners(for: spec, reusing: [])
            } catch {
                log.error("resurrect \(spec.name): \(error.message)")
                continue
            }
            let wasRunning = (appJSON["processes"]?.arrayValue ?? []).contains {
                Lifecycle(json: $0["lifecycle"] ?? .null, policy: spec.lifecyclePolicy).shouldRun
            }
            register(app)
            created += app.processIDs
            if wasRunning { for id in app.processIDs { if let p = table.process(id) { apply(.start, to: p) } } }
        }
        log.info("resurrected \(created.count) process(es) from \(startup.home.dumpFile)" + (skipped.isEmpty ? "" : "; already present: \(skipped.joined(separator: ", "))"))
        return .success(created)
    }
}
