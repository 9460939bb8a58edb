import ProcdCore

extension Spawn {
    /// Starts `path` in a session of its own, its stdio on /dev/null and a pipe as
    /// descriptor 3, and blocks (no polling) until the program closes that pipe: its pid,
    /// and what it wrote there (at most `limit` bytes).
    public static func detached(path: String, argv: [String], env: [String: String], limit: Int = 65_536)
        throws(SystemError) -> (pid: Int32, report: String) {
        let pipe = try Pipe()
        let null = try File.openNull()
        var request = Request(path: path, argv: argv, env: env.map { "\($0.key)=\($0.value)" }, cwd: "/",
                              descriptors: [null.raw, null.raw, null.raw, pipe.writeEnd.raw])
        request.newSession = true
        let pid = try spawn(request)
        pipe.writeEnd.close()
        null.close()
        defer { pipe.readEnd.close() }
        // The program is in its own session now; its exit, if it comes, is not ours to wait for.
        return (pid, String(decoding: try pipe.readEnd.readToEnd(limit: limit), as: UTF8.self))
    }
}
