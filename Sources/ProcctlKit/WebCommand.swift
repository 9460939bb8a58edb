import ProcdCore
import ProcdPlatform
import ProcdWire

/// `procctl web`: has the daemon serve the dashboard and prints the address to open, with
/// its login token.
struct WebCommand {
    let console: Console

    func run(_ parsed: ParsedArguments, client: DaemonClient) throws -> Int32 {
        var args: JSONObject = [:]
        if parsed.has("off") {
            let result = try client.call(.web, ["off": .bool(true)])
            console.out(result["serving"]?.boolValue == true
                ? "the dashboard stays: PROCD_HTTP or procd --http keeps the HTTP listener open\n"
                : "the dashboard is off; 'procctl web' serves it again\n")
            return 0
        }
        if let listen = parsed.value("listen") {
            guard ListenAddress.parse(listen) != nil else {
                throw UsageError("'\(listen)' is not [HOST:]PORT: use e.g. --listen 9615 or --listen 127.0.0.1:9615")
            }
            args["listen"] = .string(listen)
        }
        let result = try client.call(.web, args)
        let url = result["url"]?.stringValue ?? ""
        if parsed.has("print-url") {
            console.out(url + "\n")
        } else {
            console.out("""
            procd serves the dashboard on \(result["listen"]?.stringValue ?? "?"); open, and keep private:
              \(url)
            The token is in \(result["token_file"]?.stringValue ?? "web.token"); delete that file and run 'procctl web' for a new one.

            """)
        }
        if parsed.has("open") { open(url) }
        return 0
    }

    /// Hands the URL to the desktop's browser, without waiting for it.
    private func open(_ url: String) {
        let env = Environment.all()
        let candidates = (env["BROWSER"].map { [$0] } ?? []) + ["xdg-open", "sensible-browser", "x-www-browser"]
        for program in candidates {
            guard let path = Spawn.resolve(program, searchPath: env["PATH"], cwd: "/") else { continue }
            guard let null = try? File.openNull() else { break }
            defer { null.close() }
            let request = Spawn.Request(path: path, argv: [program, url], env: env.map { "\($0.key)=\($0.value)" }, cwd: nil,
                                        descriptors: [null.raw, null.raw, null.raw])
            if (try? Spawn.spawn(request)) != nil { return }
        }
        console.err("procctl: warning: no browser found to open the dashboard (set BROWSER); open the address above by hand\n")
    }
}
