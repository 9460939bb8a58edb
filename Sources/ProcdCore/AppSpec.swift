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
