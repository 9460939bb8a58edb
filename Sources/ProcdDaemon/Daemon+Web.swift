import ProcdCore
import ProcdPlatform
import ProcdWire

extension Daemon {
    /// The dashboard's listener when nothing else says where: loopback, pm2's web port.
    static let defaultWebAddress = ListenAddress(host: "127.0.0.1", port: 9615)

    /// `web`: serves the dashboard, opening (or moving) the HTTP listener, and answers with
    /// the login URL. The address is remembered for the next start; `off` forgets it.
    func serveWeb(_ args: JSON, request: Request, connection: ControlConnection) {
        if args["off"]?.boolValue == true {
            try? File.remove(startup.home.webListen)
            if startup.settings.http == nil, let old = http {
                old.close()
                web?.close()
                mode.front = nil
                log.info("stopped serving http on \(old.address) (procctl web --off)")
            }
            reply(connection, request.id, .success(.object(["serving": .bool(http != nil)])))
            return
        }
        var wanted = http?.address ?? Self.defaultWebAddress
        if let text = args["listen"]?.stringValue {
            guard let address = ListenAddress.parse(text) else {
                reply(connection, request.id, .failure(WireError(.invalidArgument, "'\(text)' is not [HOST:]PORT such as 127.0.0.1:9615")))
                return
            }
            wanted = address
        }
        do {
            let token = try webToken()
            if http?.address != wanted { try moveHTTP(to: wanted) }
            web?.use(token: token)
            try File.writeAtomically(startup.home.webListen, wanted.description + "\n", mode: 0o600)
            guard let http else { throw SystemError(call: "listen", code: 99, path: wanted.description) }
            let port = http.port ?? wanted.port
            reply(connection, request.id, .success(.object([
                "url": .string("http://\(Self.urlHost(wanted)):\(port)/?token=\(token)"),
                "listen": .string(wanted.description), "port": .int(port), "token_file": .string(startup.home.webToken),
            ])))
        } catch {
            reply(connection, request.id, .failure(WireError(.internalError,
                "cannot serve the dashboard on \(wanted): \(error); choose another address with --listen [HOST:]PORT")))
        }
    }

    /// Opens the HTTP listener at start-up: where `PROCD_HTTP`/`--http` says, else where
    /// `procctl web` last put it. A remembered address that is taken now is only a warning:
    /// the apps matter more than the page.
    func openConfiguredHTTP() throws(SystemError) {
        if let address = startup.settings.http {
            try openHTTP(address)
            return
        }
        guard let bytes = try? File.read(startup.home.webListen, limit: 256),
              let address = ListenAddress.parse(String(decoding: bytes, as: UTF8.self).filter { !$0.isWhitespace }) else { return }
        do {
            try openHTTP(address)
        } catch {
            log.warning("cannot serve the dashboard on \(address) again: \(error); run 'procctl web --listen [HOST:]PORT'")
        }
    }

    /// Opens the HTTP listener. Off loopback, every request needs the token in `web.token`
    /// (made when missing); on loopback too once that file exists.
    func openHTTP(_ address: ListenAddress) throws(SystemError) {
        let token = address.isLoopback ? savedWebToken() : try webToken()
        let server = try HTTPServer(address: address, loop: loop) {
            [weak self] exchange in self?.routeHTTP(exchange)
        }
        server.onWarning = { [weak self] message in self?.log.warning(message) }
        let csrf = (try? Self.randomHex(16)) ?? String(Clock.now().nanoseconds, radix: 16)
        let dashboard = WebDashboard(loop: loop, csrf: csrf,
                                     connect: { [weak self] in self?.connectInternalClient() },
                                     warn: { [weak self] message in self?.log.warning(message) })
        dashboard.use(token: token)
        mode.front = (server, dashboard)
        log.info("serving http on \(address) (port \(server.port ?? address.port))\(token == nil ? "" : "; requests need the token in \(startup.home.webToken)")")
    }

    /// Moves the listener: the new one opens before the old closes, unless both want the
    /// same port (then there is a moment with none).
    private func moveHTTP(to address: ListenAddress) throws(SystemError) {
        let old = http
        let oldWeb = web
        if let old, old.address.port == address.port || old.port == address.port {
            old.close()
            oldWeb?.close()
            mode.front = nil
        }
        try openHTTP(address)
        if let old, old !== http {
            old.close()
            oldWeb?.close()
        }
    }

    /// `/metrics` for Prometheus; everything else is the dashboard's, or nobody's. A Host
    /// header that names another site is refused first, as on the dashboard's pages: a
    /// token or a cookie does not make a DNS-rebound page this listener's. (No Host at all
    /// is no browser's request, so no rebinding: an HTTP/1.0 scraper may leave it out.)
    func routeHTTP(_ exchange: HTTPExchange) {
        let request = exchange.request
        if request.path == "/metrics" {
            if let http, let host = request.header("host"),
               !WebAccess.hostAllowed(host, listen: http.address, port: http.port ?? http.address.port) {
                exchange.respond(HTTPResponse(status: 403, body: "the Host header names another site; scrape the address procd listens on\n"))
                return
            }
            if let web, !web.admitsMetrics(request) {
                exchange.respond(HTTPResponse(status: 401, body: "a bearer token is required; see procd(8)\n",
                                              headers: [("WWW-Authenticate", "Bearer realm=\"procd\"")]))
                return
            }
            guard request.method == "GET" || request.method == "HEAD" else {
                exchange.respond(HTTPResponse(status: 405, body: "only GET and HEAD are served\n", headers: [("Allow", "GET, HEAD")]))
                return
            }
            exchange.respond(HTTPResponse(status: 200, contentType: "text/plain; version=0.0.4; charset=utf-8", body: metricsText()))
            return
        }
        if let http, let web, web.route(exchange, listen: http.address, port: http.port ?? http.address.port) { return }
        exchange.respond(HTTPResponse(status: 404, body: "no such page: \(request.path)\n"))
    }

    /// A client end of the control protocol for the daemon's own use (the dashboard's
    /// relays): the other end is served like any accepted client.
    func connectInternalClient() -> OwnedFD? {
        guard shutdown == nil, let (ours, theirs) = try? Sockets.pair() else { return nil }
        do {
            try ours.setNonBlocking()
            try theirs.setNonBlocking()
            let connection = ControlConnection(token: makeToken(), fd: theirs)
            try clients.serve(connection)
            return ours
        } catch {
            log.warning("cannot open a client for the dashboard: \(error)")
            return nil
        }
    }

    /// The token in `web.token`, made (random, mode 0600) when the file is missing.
    private func webToken() throws(SystemError) -> String {
        if let saved = savedWebToken() { return saved }
        let token = try Self.randomHex(24)
        try File.writeAtomically(startup.home.webToken, token + "\n", mode: 0o600)
        return token
    }

    private func savedWebToken() -> String? {
        guard let bytes = try? File.read(startup.home.webToken, limit: 4096) else { return nil }
        let text = String(decoding: bytes, as: UTF8.self).filter { !$0.isWhitespace }
        return text.isEmpty ? nil : text
    }

    private static func randomHex(_ count: Int) throws(SystemError) -> String {
        let hex = Array("0123456789abcdef")
        return String(try File.randomBytes(count).flatMap { [hex[Int($0 >> 4)], hex[Int($0 & 15)]] })
    }

    /// The host part of the printed URL: a wildcard listener is reached by the machine's name.
    private static func urlHost(_ address: ListenAddress) -> String {
        guard let host = address.host, host != "0.0.0.0", host != "::" else {
            let name = (try? File.read("/proc/sys/kernel/hostname", limit: 256)).map { String(decoding: $0, as: UTF8.self) }
            return name?.filter { !$0.isWhitespace }.nilIfEmpty ?? "localhost"
        }
        return host.contains(":") ? "[\(host)]" : host
    }
}

extension String {
    fileprivate var nilIfEmpty: String? { isEmpty ? nil : self }
}
