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

/// Reads pm2 ecosystem files (already turned into JSON, from JSON, YAML or JavaScript)
/// and Procfiles into app drafts.
public enum Ecosystem {
    /// Attributes pm2 has that procd does not act on yet.
    public static let unsupported: Set<String> = [
        "watch_options", "user", "group", "log_file",
        "log_type", "vizion", "pmx", "automation", "version", "source_map_support", "treekill",
        "shutdown_with_message", "force", "increment_var", "filter_env", "disable_logs", "autostart",
        // pm2's other names and aliases, so that none reads as a misspelling ("pid" of "uid").
        "pid", "pid_file", "err", "err_file", "err_log", "out", "out_log", "log", "exec_interpreter",
        "kill_retry_time", "post_update", "trace", "disable_trace", "append_env_to_name",
    ]

    public struct Loaded: Sendable {
        public var drafts: [AppDraft] = []
        public var warnings: [String] = []
    }

    /// The apps of a parsed ecosystem document: `{"apps": [...]}`, a bare array, or a
    /// single app object. `environments` names `env_NAME` blocks applied on top of `env`.
    /// `fromYAML` reads YAML 1.1's yes/no/on/off as booleans, with a warning. An attribute
    /// that looks like a misspelt known one is an error, unless `lenient` or the document
    /// says `strict: false` at its top; then it is a warning.
    public static func load(_ document: JSON, file: String, environments: [String] = [], fromYAML: Bool = false,
                            lenient: Bool = false) throws(ConfigError) -> Loaded {
        var loaded = Loaded()
        let entries: [JSON]
        var strict = !lenient
        if let value = document.objectValue?["strict"], value != .null {
            guard let on = value.boolValue else { throw ConfigError(file: file, field: "strict", message: "expected true or false, got \(value.serialized())") }
            strict = strict && on
        }
        switch document {
        case .array(let items):
            entries = items
        case .object(let object) where object["apps"] != nil:
            guard let items = object["apps"]?.arrayValue ?? object["apps"].map({ [$0] }) else {
                throw ConfigError(file: file, field: "apps", message: "expected an array of apps")
            }
            entries = items
            // `x-` keys hold what YAML anchors share (the convention of Compose files).
            for key in object.keys where key != "apps" && key != "strict" && !key.hasPrefix("x-") {
                loaded.warnings.append("\(file): top-level '\(key)' is not supported by procd; ignored")
            }
        case .object:
            entries = [document]
        default:
            throw ConfigError(file: file, message: "expected an object with 'apps', an array of apps, or one app object; got \(document.typeName)")
        }
        if entries.isEmpty { throw ConfigError(file: file, message: "no apps are defined") }
        for (index, entry) in entries.enumerated() {
            // A single app object may carry the file's "strict" among its attributes.
            let fileKeys: Set<String> = document.objectValue?["apps"] == nil ? ["strict"] : []
            let (draft, warnings) = try app(entry, index: index, file: file, environments: environments, fromYAML: fromYAML,
                                            strict: strict, ignoring: fileKeys)
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

    static func app(_ entry: JSON, index: Int, file: String, environments: [String], fromYAML: Bool = false,
                    strict: Bool = true, ignoring fileKeys: Set<String> = []) throws(ConfigError) -> (AppDraft, [String]) {
        guard let object = entry.objectValue else {
            throw ConfigError(file: file, app: "#\(index + 1)", message: "expected an object, got \(entry.typeName)")
        }
        let label: String = object["name"].flatMap(scalarText).map { "'\($0)' (#\(index + 1))" } ?? "#\(index + 1)"
        let reader = EcosystemEntry(object: object, file: file, label: label, acceptsBooleanWords: fromYAML)
        var draft = try reader.command()
        try reader.readInstances(into: &draft)
        try reader.readEnvironment(into: &draft, environments: environments)
        try reader.readAttributes(into: &draft.template)
        return (draft, reader.booleanWordWarnings() + (try reader.unknownAttributes(strict: strict, ignoring: fileKeys)))
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
            if let problem = AppSpec.problem(withNewName: name) {
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
