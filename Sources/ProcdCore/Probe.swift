/// A readiness or liveness probe, shaped as Kubernetes and process-compose have them.
public struct Probe: Equatable, Sendable {
    public enum Action: Equatable, Sendable {
        /// A command run with the app's environment and cwd; exit 0 passes.
        case exec([String])
        /// An HTTP GET; a status from 200 to 399 passes.
        case httpGet(scheme: String, host: String, port: Int, path: String, headers: [String: String])
    }

    public var action: Action
    public var initialDelay: Duration = .zero
    public var period: Duration = .seconds(10)
    public var timeout: Duration = .seconds(1)
    public var successThreshold = 1
    public var failureThreshold = 3

    public init(action: Action) { self.action = action }

    /// The probe as files write it; `field` names it in errors (`readiness_probe`).
    public static func parse(_ value: JSON, field: String) -> Result<Probe, SpecError> {
        func fail(_ message: String) -> Result<Probe, SpecError> { .failure(SpecError(field: field, message: message)) }
        guard let object = value.objectValue else { return fail("expected a mapping with exec or http_get, got \(value.typeName)") }
        var probe: Probe
        switch (object["exec"], object["http_get"]) {
        case (let exec?, nil):
            guard let command = exec["command"] else { return fail("exec needs a command") }
            if let text = command.stringValue, !text.isEmpty {
                probe = Probe(action: .exec(["/bin/sh", "-c", text]))
            } else if let words = command.arrayValue?.compactMap(\.stringValue), !words.isEmpty, words.count == command.arrayValue?.count {
                probe = Probe(action: .exec(words))
            } else {
                return fail("exec.command must be a command line or a list of words")
            }
        case (nil, let get?):
            guard let port = get["port"]?.intValue ?? get["port"]?.stringValue.flatMap(Int.init), (1...65_535).contains(port) else {
                return fail("http_get needs a port from 1 to 65535")
            }
            switch httpGet(get, port: port) {
            case .success(let action): probe = Probe(action: action)
            case .failure(let error): return fail("http_get " + error.message)
            }
        case (nil, nil): return fail("expected exec or http_get")
        default: return fail("give exec or http_get, not both")
        }
        for (key, keyPath) in [("initial_delay_seconds", \Probe.initialDelay), ("period_seconds", \.period), ("timeout_seconds", \.timeout)] {
            guard let raw = object[key] else { continue }
            guard let seconds = raw.doubleValue ?? raw.stringValue.flatMap(Double.init), seconds >= 0, seconds <= 86_400 else {
                return fail("\(key) must be a number of seconds from 0 to 86400, got \(raw.serialized())")
            }
            probe[keyPath: keyPath] = .milliseconds(Int64((seconds * 1000).rounded()))
        }
        if probe.period < .milliseconds(10) { return fail("period_seconds must be at least 0.01") }
        if probe.timeout < .milliseconds(10) { return fail("timeout_seconds must be at least 0.01") }
        for (key, keyPath) in [("success_threshold", \Probe.successThreshold), ("failure_threshold", \.failureThreshold)] {
            guard let raw = object[key] else { continue }
            guard let n = raw.intValue, (1...1000).contains(n) else { return fail("\(key) must be a whole number from 1 to 1000, got \(raw.serialized())") }
            probe[keyPath: keyPath] = n
        }
        return .success(probe)
    }

    /// The rest of an `http_get` mapping: scheme, host, path and headers, each checked,
    /// since they are written into the request as they are.
    private static func httpGet(_ get: JSON, port: Int) -> Result<Action, SpecError> {
        func fail(_ message: String) -> Result<Action, SpecError> { .failure(SpecError(field: "http_get", message: message)) }
        let scheme = (get["scheme"]?.stringValue ?? "http").lowercased()
        guard scheme == "http" else {
            return fail("scheme '\(scheme)' is not supported: procd has no TLS; probe a plain-HTTP port, "
                + "or use an exec probe such as `curl -fsS https://…`")
        }
        let host = get["host"]?.stringValue ?? "127.0.0.1"
        guard isAddressLiteral(host) else {
            return fail("host '\(host)' must be an IP address or localhost: the daemon does not look names up "
                + "while it runs; use the address, or an exec probe")
        }
        var path = get["path"]?.stringValue ?? "/"
        if !path.hasPrefix("/") { path = "/" + path }
        guard !hasUnsafeScalar(path) else { return fail("path must not contain spaces or control characters") }
        var headers: [String: String] = [:]
        for (name, value) in get["headers"]?.objectValue?.entries ?? [] {
            let text = value.stringValue ?? value.serialized()
            guard !name.isEmpty, !hasUnsafeScalar(name), !name.contains(":"),
                  !text.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) else {
                return fail("header '\(name)' must be a name without spaces, ':' or control characters, and a one-line value")
            }
            headers[name] = text
        }
        return .success(.httpGet(scheme: scheme, host: host, port: port, path: path, headers: headers))
    }

    /// Whether `host` is `localhost` or an IPv4 or IPv6 address, which connect without a lookup.
    static func isAddressLiteral(_ host: String) -> Bool {
        if host == "localhost" { return true }
        let parts = host.split(separator: ".", omittingEmptySubsequences: false)
        if parts.count == 4, parts.allSatisfy({ !$0.isEmpty && $0.count <= 3 && $0.allSatisfy(\.isASCII) && UInt8($0) != nil }) {
            return true
        }
        return host.contains(":") && host.unicodeScalars.allSatisfy { $0.properties.isASCIIHexDigit || $0 == ":" || $0 == "." }
    }

    /// A space or control character would split the request line or start a header.
    private static func hasUnsafeScalar(_ text: String) -> Bool {
        text.unicodeScalars.contains { $0.value <= 0x20 || $0.value == 0x7F }
    }

    /// An http_get probe's verdict on the status of the answer: 200 to 399 passes.
    public static func judge(status: Int) -> Result<Void, ProbeFailure> {
        (200...399).contains(status) ? .success(()) : .failure(ProbeFailure("HTTP \(status)"))
    }

    /// The form `parse` reads back, as state.json and the wire keep it.
    public var json: JSON {
        var object: JSONObject = [:]
        switch action {
        case .exec(let argv):
            object["exec"] = .object(["command": .array(argv.map { .string($0) })])
        case .httpGet(let scheme, let host, let port, let path, let headers):
            var get: JSONObject = ["scheme": .string(scheme), "host": .string(host), "port": .int(port), "path": .string(path)]
            if !headers.isEmpty {
                var object = JSONObject()
                for name in headers.keys.sorted() { object[name] = .string(headers[name] ?? "") }
                get["headers"] = .object(object)
            }
            object["http_get"] = .object(get)
        }
        object["initial_delay_seconds"] = .number(Self.seconds(initialDelay))
        object["period_seconds"] = .number(Self.seconds(period))
        object["timeout_seconds"] = .number(Self.seconds(timeout))
        object["success_threshold"] = .int(successThreshold)
        object["failure_threshold"] = .int(failureThreshold)
        return .object(object)
    }

    /// One line for `describe`: "exec `redis-cli ping` every 1s, timeout 1s, 1/3".
    public var summary: String {
        let what: String
        switch action {
        case .exec(let argv): what = "exec `" + (argv.count == 3 && argv[0] == "/bin/sh" && argv[1] == "-c" ? argv[2] : argv.joined(separator: " ")) + "`"
        case .httpGet(let scheme, let host, let port, let path, _): what = "GET \(scheme)://\(host):\(port)\(path)"
        }
        var text = "\(what) every \(Self.text(period)), timeout \(Self.text(timeout)), \(successThreshold)/\(failureThreshold)"
        if initialDelay > .zero { text += ", after \(Self.text(initialDelay))" }
        return text
    }

    static func seconds(_ duration: Duration) -> Double { Double(duration.milliseconds) / 1000 }

    /// "1s", "0.25s".
    public static func text(_ duration: Duration) -> String {
        let ms = duration.milliseconds
        return ms % 1000 == 0 ? "\(ms / 1000)s" : "\(seconds(duration))s"
    }

    /// Counts results in a row and says when the verdict changes.
    public struct Tally: Equatable, Sendable {
        public private(set) var passing = false
        private var successes = 0
        private var failures = 0

        /// `passing` starts the count from a verdict already known (a process taken over).
        public init(passing: Bool = false) { self.passing = passing }

        public enum Change: Equatable, Sendable {
            /// success_threshold passes in a row.
            case passed
            /// failure_threshold failures in a row; the last failure's text.
            case failed(String)
        }

        /// Records one result; the change of verdict it makes, if any.
        public mutating func record(_ result: Result<Void, ProbeFailure>, _ probe: Probe) -> Change? {
            switch result {
            case .success:
                failures = 0
                successes += 1
                if !passing && successes >= probe.successThreshold {
                    passing = true
                    return .passed
                }
            case .failure(let failure):
                successes = 0
                failures += 1
                if failures >= probe.failureThreshold && (passing || failures == probe.failureThreshold) {
                    passing = false
                    return .failed("failed \(failures) time\(failures == 1 ? "" : "s"): \(failure.reason)")
                }
            }
            return nil
        }
    }
}

/// Why one probe run failed ("exit 1", "timed out after 1 s", "HTTP 503").
public struct ProbeFailure: Error, Equatable, Sendable {
    public var reason: String
    public init(_ reason: String) { self.reason = reason }
}
