/// A problem in a configuration file, naming the file, the app and the field.
public struct ConfigError: Error, Equatable, Sendable, CustomStringConvertible {
    public var file: String
    public var app: String?
    public var field: String?
    public var message: String

    public init(file: String, app: String? = nil, field: String? = nil, message: String) {
        self.file = file
        self.app = app
        self.field = field
        self.message = message
    }

    public var description: String {
        var text = file + ": "
        if let app { text += "app \(app): " }
        if let field { text += message.hasPrefix("is ") ? "'\(field)' " : "'\(field)': " }
        return text + message
    }
}

/// Reads pm2 ecosystem files (already turned into JSON) and Procfiles into app drafts.
public enum Ecosystem {
    /// Attributes procd reads.
    static let known: Set<String> = [
        "name", "script", "args", "interpreter", "interpreter_args", "node_args", "cwd", "instances", "exec_mode",
        "env", "env_file", "namespace", "listen", "autorestart", "max_restarts", "min_uptime", "restart_delay",
        "exp_backoff_restart_delay", "stop_exit_codes", "kill_signal", "kill_timeout", "wait_ready", "listen_timeout",
        "time", "log_date_format", "out_file", "error_file", "output", "error", "merge_logs", "combine_logs",
        "log_max_size", "log_retain", "watchdog", "health_url", "health_interval", "health_retries",
        "max_memory_restart", "cron_restart", "cron", "watch", "ignore_watch", "watch_delay", "uid", "gid",
    ]

    /// Attributes pm2 has that procd does not act on yet.
    static let unsupported: Set<String> = [
        "watch_options", "user", "group", "log_file",
        "log_type", "instance_var", "vizion", "pmx", "automation", "version", "source_map_support", "treekill",
        "shutdown_with_message", "force", "increment_var", "filter_env", "disable_logs", "autostart",
    ]

    public struct Loaded: Sendable {
        public var drafts: [AppDraft] = []
        public var warnings: [String] = []
    }

    /// The apps of a parsed ecosystem document: `{"apps": [...]}`, a bare array, or a
    /// single app object. `environments` names `env_NAME` blocks applied on top of `env`.
    public static func load(_ document: JSON, file: String, environments: [String] = []) throws(ConfigError) -> Loaded {
        var loaded = Loaded()
        let entries: [JSON]
        switch document {
        case .array(let items):
            entries = items
        case .object(let object) where object["apps"] != nil:
            guard let items = object["apps"]?.arrayValue ?? object["apps"].map({ [$0] }) else {
                throw ConfigError(file: file, field: "apps", message: "expected an array of apps")
            }
            entries = items
            for key in object.keys where key != "apps" {
                loaded.warnings.append("\(file): top-level '\(key)' is not supported by procd; ignored")
            }
        case .object:
            entries = [document]
        default:
            throw ConfigError(file: file, message: "expected an object with 'apps', an array of apps, or one app object; got \(document.typeName)")
        }
        if entries.isEmpty { throw ConfigError(file: file, message: "no apps are defined") }
        for (index, entry) in entries.enumerated() {
            let (draft, warnings) = try app(entry, index: index, file: file, environments: environments)
            loaded.drafts.append(draft)
            loaded.warnings += warnings
        }
        var seen = Set<String>()
        for draft in loaded.drafts {
            let name = draft.name ?? Interpreter.defaultName(for: draft.script)
            if !seen.insert(name).inserted {
                throw ConfigError(file: file, app: "'\(name)'", field: "name", message: "two apps have this name; names must be unique")
            }
        }
        return loaded
    }

    static func app(_ entry: JSON, index: Int, file: String, environments: [String]) throws(ConfigError) -> (AppDraft, [String]) {
        guard let object = entry.objectValue else {
            throw ConfigError(file: file, app: "#\(index + 1)", message: "expected an object, got \(entry.typeName)")
        }
        let label: String = object["name"].flatMap(scalarText).map { "'\($0)' (#\(index + 1))" } ?? "#\(index + 1)"
        var warnings: [String] = []
        func fail(_ field: String, _ message: String) -> ConfigError {
            ConfigError(file: file, app: label, field: field, message: message)
        }
        func string(_ key: String) throws(ConfigError) -> String? {
            guard let value = object[key], value != .null else { return nil }
            guard let text = scalarText(value) else { throw fail(key, "expected a string, got \(value.typeName)") }
            return text
        }
        func words(_ key: String) throws(ConfigError) -> [String]? {
            guard let value = object[key], value != .null else { return nil }
            if let items = value.arrayValue {
                var out: [String] = []
                for item in items {
                    guard let text = scalarText(item) else { throw fail(key, "expected strings in the array, got \(item.typeName)") }
                    out.append(text)
                }
                return out
            }
            guard let text = value.stringValue else { throw fail(key, "expected a string or an array of strings, got \(value.typeName)") }
            do {
                return try ShellWords.split(text)
            } catch {
                throw fail(key, "unterminated quote in '\(text)'")
            }
        }
        func bool(_ key: String) throws(ConfigError) -> Bool? {
            guard let value = object[key], value != .null else { return nil }
            if let b = value.boolValue { return b }
            if value.stringValue == "true" { return true }
            if value.stringValue == "false" { return false }
            throw fail(key, "expected true or false, got \(value.serialized())")
        }
        func integer(_ key: String, _ range: ClosedRange<Int>) throws(ConfigError) -> Int? {
            guard let value = object[key], value != .null else { return nil }
            guard let n = value.intValue ?? value.stringValue.flatMap({ Int($0.trimmingSpaces()) }) else {
                throw fail(key, "expected a whole number, got \(value.serialized())")
            }
            guard range.contains(n) else { throw fail(key, "\(n) is out of range (\(range.lowerBound) to \(range.upperBound))") }
            return n
        }
        func duration(_ key: String) throws(ConfigError) -> Duration? {
            guard let value = object[key], value != .null else { return nil }
            if let n = value.intValue, n >= 0 { return .milliseconds(Int64(n)) }
            if let text = value.stringValue, let d = Units.duration(text) { return d }
            throw fail(key, "expected milliseconds or a duration such as \"30s\", got \(value.serialized())")
        }
        func environment(_ key: String) throws(ConfigError) -> [String: String] {
            guard let value = object[key], value != .null else { return [:] }
            guard let env = value.objectValue else { throw fail(key, "expected an object of variables, got \(value.typeName)") }
            var out: [String: String] = [:]
            for (name, item) in env.entries {
                guard let text = scalarText(item) else { throw fail("\(key).\(name)", "expected a string, number or boolean, got \(item.typeName)") }
                out[name] = text
            }
            return out
        }

        guard let script = try string("script"), !script.isEmpty else {
            throw fail("script", "is missing: every app needs the script or program to run")
        }
        var draft = AppDraft(script: script)
        draft.name = try string("name")
        if let name = draft.name, let problem = AppSpec.problem(withName: name) { throw fail("name", problem) }
        draft.args = try words("args") ?? []
        draft.interpreter = try string("interpreter")
        let interpreterArgs = try words("interpreter_args")
        let nodeArgs = try words("node_args")
        draft.interpreterArgs = interpreterArgs ?? nodeArgs ?? []
        draft.cwd = try string("cwd")
        if let value = object["instances"], value != .null {
            guard let text = scalarText(value) else { throw fail("instances", "expected a number or \"max\", got \(value.typeName)") }
            draft.instances = text
            if case .failure(let error) = draft.instanceCount(cpus: 1) { throw fail("instances", error.message) }
        }
        var template = draft.template
        if let mode = try string("exec_mode") {
            guard let parsed = ExecMode.parse(mode) else { throw fail("exec_mode", "expected fork or cluster, got '\(mode)'") }
            template.execMode = parsed
        }
        if let file = try string("env_file") { draft.envFiles = [file] }
        template.env = try environment("env")
        for name in environments {
            for (key, value) in try environment("env_\(name)") { template.env[key] = value }
        }
        if let namespace = try string("namespace") { template.namespace = namespace }
        if let value = object["listen"], value != .null {
            for item in value.arrayValue ?? [value] {
                guard let text = scalarText(item), let address = ListenAddress.parse(text) else {
                    throw fail("listen", "expected PORT or HOST:PORT, got \(item.serialized())")
                }
                template.listen.append(address)
            }
        }
        if let b = try bool("autorestart") { template.policy.autorestart = b }
        if let n = try integer("max_restarts", 0...1_000_000) { template.policy.maxRestarts = n }
        if let d = try duration("min_uptime") { template.policy.minUptime = d }
        if let d = try duration("restart_delay") { template.policy.restartDelay = d }
        if let d = try duration("exp_backoff_restart_delay") { template.policy.expBackoffRestartDelay = d }
        if let d = try duration("kill_timeout") { template.policy.killTimeout = d }
        if let d = try duration("listen_timeout") { template.policy.listenTimeout = d }
        if let b = try bool("wait_ready") { template.policy.waitReady = b }
        if let value = object["stop_exit_codes"], value != .null {
            var codes: [Int32] = []
            for item in value.arrayValue ?? [value] {
                guard let n = item.intValue, (0...255).contains(n) else { throw fail("stop_exit_codes", "expected exit codes 0 to 255, got \(item.serialized())") }
                codes.append(Int32(n))
            }
            template.policy.stopExitCodes = codes
        }
        if let signal = try string("kill_signal") {
            guard let number = Signals.number(named: signal) else { throw fail("kill_signal", "unknown signal '\(signal)'") }
            template.policy.killSignal = number
        }
        if let b = try bool("time") { template.time = b }
        template.logDateFormat = try string("log_date_format")
        let outFile = try string("out_file")
        let output = try string("output")
        template.outFile = outFile ?? output
        let errorFile = try string("error_file")
        let error = try string("error")
        template.errorFile = errorFile ?? error
        let merge = try bool("merge_logs")
        let combine = try bool("combine_logs")
        if let b = merge ?? combine { template.mergeLogs = b }
        if let value = object["log_max_size"], value != .null {
            guard let size = value.intValue.map(Int64.init) ?? value.stringValue.flatMap(Units.bytes) else {
                throw fail("log_max_size", "expected a size such as \"10M\", got \(value.serialized())")
            }
            template.logMaxSize = size
        }
        template.logRetain = try integer("log_retain", 0...1000)
        template.watchdog = try duration("watchdog")
        if let text = try string("health_url") {
            guard let url = HealthURL.parse(text) else { throw fail("health_url", "expected http://HOST:PORT/path, got '\(text)'") }
            template.healthURL = url
        }
        if let d = try duration("health_interval") {
            guard d >= .milliseconds(100) else { throw fail("health_interval", "must be at least 100 ms") }
            template.healthInterval = d
        }
        if let n = try integer("health_retries", 1...1000) { template.healthRetries = n }
        if let value = object["max_memory_restart"], value != .null {
            guard let size = value.intValue.map(Int64.init) ?? value.stringValue.flatMap(Units.bytes), size > 0 else {
                throw fail("max_memory_restart", "expected a size such as \"200M\", got \(value.serialized())")
            }
            template.maxMemoryRestart = size
        }
        let cronText = try string("cron_restart")
        let cronAlias = try string("cron")
        if let text = cronText ?? cronAlias {
            do {
                _ = try Cron.parse(text)
            } catch {
                throw fail(cronText != nil ? "cron_restart" : "cron", error.message)
            }
            template.cronRestart = text
        }
        if let value = object["watch"], value != .null {
            switch value {
            case .bool(let on): template.watch = on ? [] : nil
            case .string(let path): template.watch = [path]
            case .array(let items):
                template.watch = try items.map { item throws(ConfigError) -> String in
                    guard let text = item.stringValue else { throw fail("watch", "expected paths, got \(item.typeName)") }
                    return text
                }
            default: throw fail("watch", "expected true, a path or an array of paths, got \(value.typeName)")
            }
        }
        if let value = object["ignore_watch"], value != .null {
            guard let patterns = value.arrayValue?.compactMap(\.stringValue) ?? value.stringValue.map({ [$0] }) else {
                throw fail("ignore_watch", "expected a pattern or an array of patterns, got \(value.typeName)")
            }
            template.ignoreWatch = patterns
        }
        if let d = try duration("watch_delay") { template.watchDelay = d }
        template.user = try string("uid")
        template.group = try string("gid")
        draft.template = template

        for key in object.keys where !known.contains(key) && !(key.hasPrefix("env_") && key != "env_file") {
            if object[key] == .bool(false) || object[key] == .null { continue }      // a feature turned off
            if unsupported.contains(key) {
                warnings.append("\(file): app \(label): '\(key)' is not supported by procd yet; ignored")
            } else {
                warnings.append("\(file): app \(label): unknown attribute '\(key)'; ignored")
            }
        }
        return (draft, warnings)
    }

    /// Strings as they are, numbers and booleans as pm2 turns them into text.
    static func scalarText(_ value: JSON) -> String? {
        switch value {
        case .string(let s): return s
        case .number: return value.serialized()
        case .bool(let b): return b ? "true" : "false"
        default: return nil
        }
    }

    /// A Procfile: `name: command` lines (foreman, honcho); `#` starts a comment.
    public static func procfile(_ text: String, file: String) throws(ConfigError) -> Loaded {
        var loaded = Loaded()
        // "\r\n" is one Character in Swift, so splitting on "\n" alone would not split CRLF lines.
        let lines = text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" })
        for (index, raw) in lines.enumerated() {
            let line = String(raw).trimmingSpaces()
            if line.isEmpty || line.hasPrefix("#") { continue }
            guard let colon = line.firstIndex(of: ":") else {
                throw ConfigError(file: "\(file):\(index + 1)", message: "expected 'name: command'")
            }
            let name = String(line[..<colon]).trimmingSpaces()
            let command = String(line[line.index(after: colon)...]).trimmingSpaces()
            if let problem = AppSpec.problem(withName: name) {
                throw ConfigError(file: "\(file):\(index + 1)", app: "'\(name)'", field: "name", message: problem)
            }
            if command.isEmpty { throw ConfigError(file: "\(file):\(index + 1)", app: "'\(name)'", message: "the command is empty") }
            var draft = AppDraft(script: command)
            draft.name = name
            draft.isCommandLine = true
            loaded.drafts.append(draft)
        }
        if loaded.drafts.isEmpty { throw ConfigError(file: file, message: "no processes are defined") }
        return loaded
    }
}
