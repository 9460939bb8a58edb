import ProcdCore

/// Starts a detached daemon and waits, without polling, until it says it is ready.
public enum DaemonLauncher {
    public struct Failure: Error, Sendable {
        public var message: String
    }

    /// Spawns `executable --foreground` in a new session, with stdio on /dev/null and a pipe
    /// on descriptor 3 (named by PROCD_READY_FD) on which the daemon answers
    /// "ready <pid>" or "error: …". Blocks until that line or the pipe's end.
    public static func launch(executable: String, home: ProcdHome) -> Result<Int32, Failure> {
        do {
            let pipe = try Pipe()
            let null = try File.openNull()
            var env = Environment.all()
            env["PROCD_HOME"] = home.root
            env["PROCD_READY_FD"] = "3"
            var request = Spawn.Request(
                path: executable, argv: [executable, "--foreground"],
                env: env.map { "\($0.key)=\($0.value)" }, cwd: "/",
                descriptors: [null.raw, null.raw, null.raw, pipe.writeEnd.raw])
            request.newSession = true
            let pid = try Spawn.spawn(request)
            pipe.writeEnd.close()
            null.close()
            let answer = String(decoding: try pipe.readEnd.readToEnd(limit: 65_536), as: UTF8.self)
            pipe.readEnd.close()
            // The daemon is in its own session now; reap our direct child when it exits,
            // which it never does while running: nothing to wait for here.
            let line = answer.split(separator: "\n").first.map(String.init) ?? ""
            if line.hasPrefix("ready") { return .success(Int32(line.dropFirst(6)) ?? pid) }
            if line.hasPrefix("error: ") { return .failure(Failure(message: String(line.dropFirst(7)))) }
            return .failure(Failure(message: "procd exited before it was ready; see \(home.daemonLog)"))
        } catch {
            return .failure(Failure(message: "unable to start procd (\(executable)): \(error)"))
        }
    }
}
