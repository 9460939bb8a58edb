/// A named app definition: what to run, where, how many, and under which policies.
///
/// Its JSON form uses pm2's attribute names, so the wire protocol, `state.json` and
/// `dump.json` read the same as an ecosystem file.
public struct AppSpec: Equatable, Sendable {
    public var name: String
    public var namespace = "default"
    /// The argv to execute; element 0 is a path or a name looked up on the app's PATH.
    public var command: [String]
    /// The script as the user named it (for display), when started from a script.
    public var script: String?
    public var interpreter: String?
    public var cwd: String
    public var env: [String: String] = [:]
    /// The variables of `env` the definition sets itself (env, env_file, env_NAME, --env),
    /// as opposed to those inherited from procctl's environment; nil when not recorded
    /// (definitions saved by older versions).
    public var definedEnv: Set<String>?
    public var instances = 1
    /// pm2's `instance_var`: a variable given the instance number besides
    /// NODE_APP_INSTANCE (process-compose files use `PC_REPLICA_NUM`).
    public var instanceVar: String?
    /// What must hold of other apps before this one starts (`depends_on`).
    public var dependsOn: [Dependency] = []
    /// Text whose appearance in the app's output satisfies `log_ready` (`ready_log_line`).
    public var readyLogLine: String?
    /// Gates `online` (`readiness_probe`).
    public var readinessProbe: Probe?
    /// Restarts the process when it fails (`liveness_probe`).
    public var livenessProbe: Probe?
    /// Run to stop a process in place of its kill signal (`stop_command`).
    public var stopCommand: String?
    /// Listening sockets the daemon holds and passes to every instance (`--port`).
    public var listen: [ListenAddress] = []
    /// pm2's `exec_mode`: in cluster mode a Node app's `listen()` calls get a socket the
    /// daemon holds, shared by every instance; nil until resolved (see `ExecMode.resolve`).
    public var execMode: ExecMode?
    /// How a cluster-mode app's connections reach its instances; nil is the default
    /// (round-robin). Meaningless outside cluster mode.
    public var balance: Balance?
    public var policy = RestartPolicy()
    /// Custom log paths (`out_file`, `error_file`); nil means `logs/NAME-out.log` etc.
    public var outFile: String?
    public var errorFile: String?
    public var mergeLogs = true
    /// Prefix each log line with a timestamp.
    public var time = false
    public var logDateFormat: String?
    /// Rotate a log file once it would pass this many bytes; nil uses the daemon's default.
    public var logMaxSize: Int64?
    /// Rotated files kept beside the live one; nil uses the daemon's default.
    public var logRetain: Int?
    /// Health: the heartbeat interval (sd_notify WATCHDOG=1), an HTTP check, a memory ceiling
    /// for the process tree, a cron schedule, and watched paths ([] is the cwd).
    public var watchdog: Duration?
    public var healthURL: HealthURL?
    public var healthInterval: Duration = .seconds(10)
    public var healthRetries = 3
    public var maxMemoryRestart: Int64?
    public var cronRestart: String?
    public var watch: [String]?
    public var ignoreWatch: [String] = []
    public var watchDelay: Duration = .milliseconds(1000)
    /// Run as this user and group (names or numbers; the daemon must be root).
    public var user: String?
    public var group: String?

    public init(name: String, command: [String], cwd: String) {
        self.name = name
        self.command = command
        self.cwd = cwd
    }

    /// The policy its processes' lifecycles run under: `policy`, plus what the definition
    /// implies (an app with daemon-held ports waits for readiness or `listen_timeout`).
    public var lifecyclePolicy: RestartPolicy {
        var derived = policy
        // A cluster-mode Node app is ready once its listen() has its socket: a reload then
        // keeps the old instance until the new one accepts.
        derived.awaitsListen = !listen.isEmpty || sharesListeners
        derived.clusterListen = sharesListeners
        // A readiness probe is the app's readiness signal; it may take until its last
        // allowed failure (the listen timeout, if longer, still holds).
        if let probe = readinessProbe {
            derived.waitReady = true
            derived.awaitsProbe = true
            let budget = probe.initialDelay + (probe.period + probe.timeout) * (probe.successThreshold + probe.failureThreshold)
            derived.listenTimeout = max(derived.listenTimeout, budget)
        }
        return derived
    }

    /// The longest app name accepted: log file names are built from it.
    public static let maxNameLength = 128

    /// Why a name cannot be used, or nil when it can.
    public static func problem(withName name: String) -> String? {
        if name.isEmpty { return "the name is empty" }
        if name.utf8.count > maxNameLength { return "the name is longer than \(maxNameLength) bytes" }
        if name == "all" { return "'all' is reserved for targeting every process" }
        if name.allSatisfy(\.isNumber) { return "a name made only of digits would read as a process id" }
        if name.contains("/") || name == "." || name == ".." || name.hasPrefix("-") {
            return "the name must not contain '/', start with '-', or be '.' or '..'"
        }
        if name.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) {
            return "the name contains a control character"
        }
        return nil
    }

    /// Why `name` is refused for a new app (from the command line or a file): the rules of
    /// `problem(withName:)`, and only ASCII letters, digits and `._-@:`, which log file
    /// names, unit names and shells take as they are. Names already in a table are not
    /// re-checked, so a table written before this rule still loads.
    public static func problem(withNewName name: String) -> String? {
        let allowed = name.unicodeScalars.allSatisfy { scalar in
            scalar.isASCII && (("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar)
                || "._-@:".unicodeScalars.contains(scalar))
        }
        if !allowed { return "the name may contain only letters, digits and . _ - @ :" }
        return problem(withName: name)
    }
}

/// A field of an app definition that failed to decode.
public struct SpecError: Error, Equatable, Sendable, CustomStringConvertible {
    public var field: String
    public var message: String
    public init(field: String, message: String) {
        self.field = field
        self.message = message
    }
    public var description: String { "\(field): \(message)" }
}

extension AppSpec {
    /// The JSON form: the command, cwd, instances and environment, then every attribute
    /// of `AppAttributes`.
    public var json: JSON {
        var o: JSONObject = [
            "name": .string(name),
            "command": .array(command.map { .string($0) }),
            "cwd": .string(cwd),
            "instances": .int(instances),
        ]
        if let script { o["script"] = .string(script) }
        if let interpreter { o["interpreter"] = .string(interpreter) }
        AppAttributes.encode(self, into: &o)
        var envObject = JSONObject()
        for key in env.keys.sorted() { envObject[key] = .string(env[key] ?? "") }
        o["env"] = .object(envObject)
        if let definedEnv { o["defined_env"] = .array(definedEnv.sorted().map { .string($0) }) }
        return .object(o)
    }

    /// Decodes the JSON form written by `json`; missing attributes take their defaults.
    public init(json: JSON) throws(SpecError) {
        let fields = FieldReader(json)
        guard let object = json.objectValue else { throw SpecError(field: "app", message: "expected an object, got \(json.typeName)") }
        let name = try fields.string("name") ?? ""
        if let problem = AppSpec.problem(withName: name) { throw SpecError(field: "name", message: problem) }
        guard let command = try fields.strings("command"), let program = command.first, !program.isEmpty else {
            throw SpecError(field: "command", message: "expected a non-empty array of strings")
        }
        guard let cwd = try fields.string("cwd"), cwd.hasPrefix("/") else {
            throw SpecError(field: "cwd", message: "expected an absolute path")
        }
        self.init(name: name, command: command, cwd: cwd)
        script = try fields.string("script")
        interpreter = try fields.string("interpreter")
        instances = try fields.int("instances", in: 1...100_000) ?? 1
        if let env = try fields.object("env") {
            for (key, value) in env.entries {
                guard let text = value.stringValue else {
                    throw SpecError(field: "env.\(key)", message: "expected a string, got \(value.typeName)")
                }
                self.env[key] = text
            }
        }
        definedEnv = try fields.strings("defined_env").map(Set.init)
        try AppAttributes.decode(object, into: &self)
    }
}

/// Typed access to an object's fields, with errors that name the field.
public struct FieldReader: Sendable {
    public let object: JSONObject

    public init(_ json: JSON) { object = json.objectValue ?? JSONObject() }

    private func value(_ key: String) -> JSON? {
        guard let v = object[key], v != .null else { return nil }
        return v
    }

    private func mismatch(_ key: String, _ expected: String, _ got: JSON) -> SpecError {
        SpecError(field: key, message: "expected \(expected), got \(got.typeName)")
    }

    public func string(_ key: String) throws(SpecError) -> String? {
        guard let v = value(key) else { return nil }
        guard let s = v.stringValue else { throw mismatch(key, "a string", v) }
        return s
    }

    public func bool(_ key: String) throws(SpecError) -> Bool? {
        guard let v = value(key) else { return nil }
        guard let b = v.boolValue else { throw mismatch(key, "true or false", v) }
        return b
    }

    public func int(_ key: String, in range: ClosedRange<Int>? = nil) throws(SpecError) -> Int? {
        guard let v = value(key) else { return nil }
        guard let n = v.intValue else { throw mismatch(key, "a whole number", v) }
        if let range, !range.contains(n) {
            throw SpecError(field: key, message: "\(n) is out of range (\(range.lowerBound) to \(range.upperBound))")
        }
        return n
    }

    public func milliseconds(_ key: String) throws(SpecError) -> Duration? {
        guard let n = try int(key, in: 0...Int(Int32.max)) else { return nil }
        return .milliseconds(Int64(n))
    }

    /// A size in bytes: a whole number, or a string such as "10M" (K, M, G).
    public func size(_ key: String) throws(SpecError) -> Int64? {
        guard let v = value(key) else { return nil }
        if let n = v.intValue, n >= 0 { return Int64(n) }
        if let text = v.stringValue, let n = Units.bytes(text) { return n }
        throw SpecError(field: key, message: "expected a size such as 10M or a number of bytes, got \(v.serialized())")
    }

    public func strings(_ key: String) throws(SpecError) -> [String]? {
        guard let v = value(key) else { return nil }
        guard let items = v.arrayValue else { throw mismatch(key, "an array of strings", v) }
        var out: [String] = []
        for item in items {
            guard let s = item.stringValue else { throw mismatch(key, "an array of strings", item) }
            out.append(s)
        }
        return out
    }

    public func ints(_ key: String) throws(SpecError) -> [Int]? {
        guard let v = value(key) else { return nil }
        guard let items = v.arrayValue else { throw mismatch(key, "an array of numbers", v) }
        var out: [Int] = []
        for item in items {
            guard let n = item.intValue else { throw mismatch(key, "an array of whole numbers", item) }
            out.append(n)
        }
        return out
    }

    public func object(_ key: String) throws(SpecError) -> JSONObject? {
        guard let v = value(key) else { return nil }
        guard let o = v.objectValue else { throw mismatch(key, "an object", v) }
        return o
    }
}

/// How an app's instances run (pm2's `exec_mode`).
public enum ExecMode: String, Sendable, CaseIterable {
    /// Each process is on its own: a port it binds is its own.
    case fork
    /// Node apps: every `listen()` gets the one socket the daemon holds for that address,
    /// so all instances share the port with no change to their code.
    case cluster

    /// `fork`, `cluster`, or pm2's `fork_mode` and `cluster_mode`.
    public static func parse(_ text: String) -> ExecMode? {
        switch text {
        case "fork", "fork_mode": .fork
        case "cluster", "cluster_mode": .cluster
        default: nil
        }
    }

    /// What an app runs as: as asked, else cluster for a Node app with more than one
    /// instance (pm2's default for `-i`), else fork. Cluster mode exists only for Node.
    public static func resolve(asked: ExecMode?, isNode: Bool, instances: Int) -> ExecMode {
        guard isNode else { return .fork }
        return asked ?? (instances > 1 ? .cluster : .fork)
    }
}

/// How the daemon spreads a cluster-mode app's connections over its instances.
public enum Balance: String, Sendable, CaseIterable {
    /// The daemon accepts and hands each connection to the next ready instance in turn,
    /// as Node's own cluster primary does (SCHED_RR): the kernel's wake-up order would
    /// give a few instances most of the load.
    case roundRobin = "round-robin"
    /// Like round-robin, but to the ready instance with the fewest open connections, so
    /// one slowed by CPU or I/O gets no new work while it catches up.
    case leastConnections = "least-connections"
    /// Every instance accepts on the one listening socket itself: no hand-over, uneven.
    case shared

    public static func parse(_ text: String) -> Balance? {
        switch text.lowercased() {
        case "round-robin", "roundrobin", "rr": .roundRobin
        case "least-connections", "leastconn", "least-conn": .leastConnections
        case "shared", "none": .shared
        default: nil
        }
    }

    static func expectation(_ text: String) -> String {
        "expected round-robin, least-connections or shared, got '\(text)'"
    }

    /// What an app without `balance` gets.
    public static let standard = Balance.roundRobin
}

extension AppSpec {
    /// Whether the program is Node.js: the interpreter, or the program itself, is node.
    public var isNode: Bool {
        let program = (interpreter ?? command.first ?? "").split(separator: "/").last.map(String.init) ?? ""
        return program == "node" || program == "nodejs"
    }

    /// Whether `listen()` calls get the daemon's shared socket.
    public var sharesListeners: Bool { isNode && execMode == .cluster }

    /// The balance in force: the one asked, else round-robin.
    public var effectiveBalance: Balance { balance ?? .standard }
}
