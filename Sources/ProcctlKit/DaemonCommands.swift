import ProcdCore
import ProcdPlatform
import ProcdWire

/// The commands that ask the daemon about itself or act on all of it: `version`, `ping`,
/// `kill`, `metrics`, `save`, `resurrect`, `update`, `reload-logs`.
extension Procctl {
    func version() throws -> Int32 {
        console.out(ProcdVersion.line("procctl", commit: BuildStamp.commit))
        if let client = try connectIfRunning() {
            let info = try client.call(.version)
            let commit = info["commit"]?.stringValue.map { "commit " + $0 } ?? "unknown commit"
            console.out("procd \(info["version"]?.stringValue ?? "?") (\(commit), pid \(info["pid"]?.intValue ?? 0))\n")
        } else {
            console.out("procd not running\n")
        }
        return 0
    }

    func ping() throws -> Int32 {
        let info = try connect().call(.ping)
        console.out("pong: procd \(info["version"]?.stringValue ?? "?") (pid \(info["pid"]?.intValue ?? 0)), \(info["processes"]?.intValue ?? 0) process(es)\n")
        return 0
    }

    func killDaemon() throws -> Int32 {
        guard let client = try connectIfRunning() else {
            console.out("procd is not running\n")
            return 0
        }
        let result = try client.call(.kill)
        let count = result["processes"]?.arrayValue?.count ?? 0
        // The daemon closes the socket as it exits; wait for that so 'kill' returns after it.
        _ = try? client.readReply()
        console.out("procd stopped (\(count) process(es) stopped)\n")
        return 0
    }

    func metrics() throws -> Int32 {
        let result = try connect().call(.metrics)
        console.out(result["text"]?.stringValue ?? "")
        return 0
    }

    func save() throws -> Int32 {
        let result = try connect().call(.save)
        console.out("saved \(result["apps"]?.intValue ?? 0) app(s) to \(result["file"]?.stringValue ?? home.dumpFile)\n")
        return 0
    }

    func resurrect() throws -> Int32 {
        let result = try connect().call(.resurrect)
        let processes = result["processes"]?.arrayValue ?? []
        if processes.isEmpty { console.out("nothing to resurrect: every app of \(home.dumpFile) is already in the table\n") }
        return report(processes, verb: "resurrect")
    }

    func updateDaemon() throws -> Int32 {
        guard let client = try connectIfRunning() else {
            console.out("procd is not running; the next command starts the new version\n")
            return 0
        }
        let result = try client.call(.update)
        console.out("procd updated in place: \(result["previous_version"]?.stringValue ?? "?") -> \(result["version"]?.stringValue ?? "?"), pid \(result["pid"]?.intValue ?? 0), \(result["processes"]?.intValue ?? 0) process(es) kept\n")
        return 0
    }

    func reloadLogs() throws -> Int32 {
        let result = try connect().call(.reloadLogs)
        console.out("reopened \(result["files"]?.intValue ?? 0) log file(s)\n")
        return 0
    }
}
