import ProcdCore
import ProcdPlatform
import ProcdWire

/// The web dashboard: its page, its login, and its API, served on the HTTP listener.
///
/// It owns its state (login throttle, the page's CSRF token, its relays and the browsers
/// watching) and asks the daemon for everything through `WireRelay`s, the control
/// socket's own protocol: it can do what `procctl` can and nothing else.
///
/// Live updates: one `events` subscription, shared by every open page, pushes changes as
/// they happen; CPU and memory are sampled every `sampleInterval` while a page is open
/// (a measurement must be taken; nothing runs once the last page closes).
final class WebDashboard {
    static let sampleInterval: Duration = .seconds(2)
    /// Lines of a log sent when a page opens it, before following.
    static let logLines = 200

    private let loop: EventLoop
    /// A fresh client end of the control protocol, served by the daemon.
    private let connect: () -> OwnedFD?
    private let warn: (String) -> Void
    /// The login token (`web.token`); nil while the dashboard has none.
    private var token: String?
    /// Sent with the page and required on every POST.
    private let csrf: String
    private var throttle = LoginThrottle()
    private var relays: [UInt64: WireRelay] = [:]
    private var watchers: [ObjectIdentifier: HTTPExchange] = [:]
    private var subscription: WireRelay?
    private var listing: WireRelay?
    private var listAgain = false
    /// The armed sampling deadline's number (only while a page watches): a deadline of an
    /// earlier round, left when the last page closed, must not start a second cadence.
    private var sampleRound: Int?
    private var lastSampleRound = 0
    private var lastRequestID = 0

    init(loop: EventLoop, csrf: String, connect: @escaping () -> OwnedFD?, warn: @escaping (String) -> Void) {
        self.loop = loop
        self.csrf = csrf
        self.connect = connect
        self.warn = warn
    }

    /// The login token changed (`web.token` was made or read again).
    func use(token: String?) {
        self.token = token
    }

    /// `/metrics` answers without a token only while the dashboard has none; with one, the
    /// scraper sends it as a bearer token (or the browser its login cookie).
    func admitsMetrics(_ request: HTTPRequest) -> Bool {
        guard let token else { return true }
        let bearer = request.header("authorization").flatMap { $0.hasPrefix("Bearer ") ? String($0.dropFirst(7)) : nil }
        let cookie = WebAccess.cookieValue(request.header("cookie"), WebAccess.cookieName)
        return WebAccess.matches(bearer, token) || WebAccess.matches(cookie, token)
    }

    static let paths: Set<String> = ["/", "/api/processes", "/api/describe", "/api/events", "/api/logs", "/api/action"]

    // MARK: - Routes

    /// Answers a dashboard request; false when the path is not the dashboard's.
    func route(_ exchange: HTTPExchange, listen: ListenAddress, port: Int) -> Bool {
        let request = exchange.request
        guard Self.paths.contains(request.path) else { return false }
        let now = Clock.now()
        guard WebAccess.hostAllowed(request.header("host"), listen: listen, port: port) else {
            exchange.respond(Self.text(403, "the Host header names another site; open the address procctl web prints\n"))
            return true
        }
        guard WebAccess.originAllowed(request.header("origin"), host: request.header("host")) else {
            exchange.respond(Self.text(403, "cross-origin requests are refused\n"))
            return true
        }
        let wantsPOST = request.path == "/api/action"
        guard request.method == (wantsPOST ? "POST" : "GET") || (!wantsPOST && request.method == "HEAD") else {
            exchange.respond(HTTPResponse(status: 405, body: "use \(wantsPOST ? "POST" : "GET")\n", headers: [("Allow", wantsPOST ? "POST" : "GET, HEAD")]))
            return true
        }
        switch authorize(request, peer: exchange.peer, now: now) {
        case .refused(let response):
            exchange.respond(response)
        case .loggedIn(let token):
            // The token leaves the address bar (and history) at once; the cookie stays.
            exchange.respond(HTTPResponse(status: 303, body: "logged in\n",
                                          headers: [("Location", "/"), ("Set-Cookie", WebAccess.loginCookie(token))]))
        case .granted:
            serve(exchange)
        }
        return true
    }

    private enum Access {
        case granted
        case loggedIn(String)
        case refused(HTTPResponse)
    }

    /// A valid cookie, bearer token or `?token=` is required; wrong ones count against
    /// the client's address and are throttled.
    private func authorize(_ request: HTTPRequest, peer: String, now: Tick) -> Access {
        guard let token else {
            return .refused(Self.unauthorized("the dashboard has no login token yet: run 'procctl web' on the server"))
        }
        let bearer = request.header("authorization").flatMap { $0.hasPrefix("Bearer ") ? String($0.dropFirst(7)) : nil }
        let cookie = WebAccess.cookieValue(request.header("cookie"), WebAccess.cookieName)
        let query = request.path == "/" ? WebAccess.queryValue(request.query, "token") : nil
        let presented = [query, bearer, cookie].compactMap { $0 }
        guard !presented.isEmpty else {
            return .refused(Self.unauthorized("log in with the address 'procctl web' prints"))
        }
        if let wait = throttle.retryAfter(peer, now: now) {
            let seconds = max(1, (wait.milliseconds + 999) / 1000)
            return .refused(HTTPResponse(status: 429, body: "too many failed logins; try again in \(seconds) s\n",
                                         headers: [("Retry-After", String(seconds))]))
        }
        if WebAccess.matches(query, token) {
            throttle.succeeded(peer)
            return .loggedIn(token)
        }
        if WebAccess.matches(bearer, token) || WebAccess.matches(cookie, token) {
            throttle.succeeded(peer)
            return .granted
        }
        throttle.failed(peer, now: now)
        warn("http: refused a dashboard login from \(peer) (wrong token)")
        return .refused(Self.unauthorized("that login token is not valid (any more): run 'procctl web' for the current one"))
    }

    private func serve(_ exchange: HTTPExchange) {
        let request = exchange.request
        switch request.path {
        case "/":
            let nonce = Self.nonce()
            exchange.respond(HTTPResponse(status: 200, contentType: "text/html; charset=utf-8", bytes: DashboardPage.html(csrf: csrf, nonce: nonce),
                                          headers: [("Content-Security-Policy", DashboardPage.contentSecurityPolicy(nonce: nonce))]))
        case "/api/processes":
            ask(exchange, .list, [:])
        case "/api/describe":
            guard let target = WebAccess.queryValue(request.query, "target"), !target.isEmpty else {
                exchange.respond(Self.json(400, error: "give the process as ?target=ID"))
                return
            }
            ask(exchange, .describe, ["targets": .array([.string(target)])])
        case "/api/events":
            watch(exchange)
        case "/api/logs":
            guard let target = WebAccess.queryValue(request.query, "target"), !target.isEmpty else {
                exchange.respond(Self.json(400, error: "give the process as ?target=ID"))
                return
            }
            followLog(exchange, target: target)
        default:
            act(exchange)
        }
    }

    /// A POST from the page: its CSRF token, JSON, and one of the dashboard's actions.
    private func act(_ exchange: HTTPExchange) {
        let request = exchange.request
        guard WebAccess.matches(request.header(WebAccess.csrfHeader), csrf) else {
            exchange.respond(Self.json(403, error: "the page's CSRF token is missing or stale: reload the page"))
            return
        }
        guard request.header("content-type")?.lowercased().hasPrefix("application/json") == true else {
            exchange.respond(Self.json(415, error: "send the action as application/json"))
            return
        }
        let body: JSON
        do {
            body = try JSONParser.parse(bytes: request.body)
        } catch {
            exchange.respond(Self.json(400, error: "the body is not JSON: \(error)"))
            return
        }
        do {
            let (command, args) = try DashboardAction.request(for: body)
            ask(exchange, command, args.objectValue ?? [:])
        } catch {
            exchange.respond(Self.json(400, error: error.message))
        }
    }

    /// One request to the daemon; its reply becomes the response.
    private func ask(_ exchange: HTTPExchange, _ command: WireCommand, _ args: JSONObject) {
        let relay = open(command, args) { relay, reply in
            switch reply {
            case .event:
                return
            case .success(_, let result):
                exchange.respond(Self.json(200, result))
            case .failure(_, let error):
                exchange.respond(Self.json(error.code == .notFound ? 404 : error.code == .internalError ? 500 : 409, error: error.message))
            }
            relay.close()
        }
        guard let relay else {
            exchange.respond(Self.json(503, error: "procd cannot take another client now; try again"))
            return
        }
        exchange.onClose { relay.close() }
    }

    // MARK: - Live updates

    /// `/api/events`: the table now, then every change and a sample every few seconds.
    private func watch(_ exchange: HTTPExchange) {
        let key = ObjectIdentifier(exchange)
        exchange.beginStream { [weak self] in self?.unwatch(key) }
        guard exchange.isOpen else { return }
        watchers[key] = exchange
        if subscription == nil {
            subscription = open(.events, [:]) { [weak self] _, reply in
                guard let self, case .event(_, let payload) = reply, payload["event"] != nil else { return }
                self.broadcast("event", payload)
                self.refreshList()
            }
        }
        refreshList()
        if sampleRound == nil { scheduleSample() }
    }

    private func scheduleSample() {
        lastSampleRound += 1
        let round = lastSampleRound
        sampleRound = round
        loop.schedule(at: Clock.now() + Self.sampleInterval, isCurrent: { [weak self] _ in self?.sampleRound == round }) { [weak self] _ in
            guard let self, self.sampleRound == round else { return }
            self.sampleRound = nil
            guard !self.watchers.isEmpty else { return }
            self.scheduleSample()
            self.refreshList()
        }
    }

    private func unwatch(_ key: ObjectIdentifier) {
        watchers[key] = nil
        guard watchers.isEmpty else { return }
        subscription?.close()
        subscription = nil
        sampleRound = nil
    }

    private func broadcast(_ event: String, _ payload: JSON) {
        let bytes = ServerSentEvent.encode(event: event, data: payload.serialized())
        for watcher in watchers.values { watcher.stream(bytes) }
    }

    /// Asks for the table once; a change while the answer is on its way asks once more.
    private func refreshList() {
        guard !watchers.isEmpty else { return }
        guard listing == nil else {
            listAgain = true
            return
        }
        listing = open(.list, [:]) { [weak self] relay, reply in
            guard let self else { return }
            if case .success(_, let rows) = reply { self.broadcast("processes", rows) }
            guard case .event = reply else {
                relay.close()
                self.listing = nil
                if self.listAgain {
                    self.listAgain = false
                    self.refreshList()
                }
                return
            }
        }
    }

    /// `/api/logs?target=ID`: the last lines, then every new one, until the page leaves.
    private func followLog(_ exchange: HTTPExchange, target: String) {
        let args: JSONObject = ["targets": .array([.string(target)]), "lines": .int(Self.logLines), "follow": .bool(true)]
        let relay = open(.logs, args) { relay, reply in
            switch reply {
            case .event(_, let payload):
                exchange.stream(ServerSentEvent.encode(event: "log", data: payload.serialized()))
            case .failure(_, let error):
                exchange.stream(ServerSentEvent.encode(event: "failure", data: JSON.object(["error": .string(error.message)]).serialized()))
                relay.close()
            case .success:
                relay.close()
            }
        }
        guard let relay else {
            exchange.respond(Self.json(503, error: "procd cannot take another client now; try again"))
            return
        }
        exchange.beginStream { relay.close() }
    }

    // MARK: - Relays and the loop

    private func open(_ command: WireCommand, _ args: JSONObject, onReply: @escaping (WireRelay, Reply) -> Void) -> WireRelay? {
        guard let fd = connect() else { return nil }
        lastRequestID += 1
        let token = loop.makeToken()
        var relayRef: WireRelay?
        let relay = WireRelay(token: token, fd: fd, request: Request(id: lastRequestID, command: command.rawValue, args: .object(args))) { reply in
            if let relay = relayRef { onReply(relay, reply) }
        }
        relayRef = relay
        relay.onClose = { [weak self] relay in
            self?.loop.unwatch(relay.raw, token: relay.token)
            self?.relays[relay.token] = nil
            relayRef = nil
        }
        do {
            try loop.watch(relay.raw, [.readable, .writable, .peerClosed], token: token) { [weak self] events in
                guard let self else { return }
                self.service(token, events: events)
            }
        } catch {
            warn("http: cannot watch a dashboard request: \(error)")
            relay.close()
            return nil
        }
        relays[token] = relay
        return relay
    }

    private func service(_ token: UInt64, events: Epoll.Events) {
        guard let relay = relays[token] else { return }
        relay.service(events, buffer: loop.scratch)
        guard !relay.isClosed else { return }
        loop.change(relay.raw, relay.wantsWrite ? [.readable, .writable, .peerClosed] : [.readable, .peerClosed], token: token)
    }

    func close() {
        for relay in Array(relays.values) { relay.close() }
        watchers.removeAll()
        subscription = nil
        listing = nil
        sampleRound = nil
    }
}
