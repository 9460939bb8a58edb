/// process-compose files (`process-compose.yaml`), read as the pm2 ecosystem document they
/// mean, so that one reader checks every attribute and a stack means the same whichever
/// file describes it.
///
/// What differs from pm2 is made explicit: process-compose restarts nothing unless
/// `availability.restart` says so, waits a second between restarts, gives a process 10 s
/// to stop and runs each command through `bash -c` (`shell`).
public enum ProcessCompose {
    /// The translated document, and what procd does differently or leaves out.
    public struct Translation: Equatable, Sendable {
        public var document: JSON
        public var warnings: [String] = []
    }

    /// A process-compose file: a `processes` mapping at the top and no pm2 `apps`.
    public static func isProcessCompose(_ document: JSON) -> Bool {
        guard let object = document.objectValue else { return false }
        return object["processes"]?.objectValue != nil && object["apps"] == nil
    }

    /// Top-level keys procd reads, or needs nothing for (`ordered_shutdown`: procd always
    /// stops dependents first).
    static let topLevel: Set<String> = ["version", "processes", "environment", "shell", "ordered_shutdown"]

    /// Process keys handed to the ecosystem reader as they are.
    static let passedOn: [String: String] = [
        "depends_on": "depends_on", "readiness_probe": "readiness_probe", "liveness_probe": "liveness_probe",
        "ready_log_line": "ready_log_line", "namespace": "namespace", "working_dir": "cwd", "env_file": "env_file",
    ]

    /// Process keys read here.
    static let translated: Set<String> = [
        "command", "entrypoint", "environment", "availability", "shutdown", "replicas", "disabled", "log_location",
        "is_daemon",
    ]

    public static func ecosystem(_ document: JSON, file: String) throws(ConfigError) -> Translation {
        guard let top = document.objectValue, let processes = top["processes"]?.objectValue else {
            throw ConfigError(file: file, field: "processes", message: "expected a mapping of process names to processes")
        }
        var unsupported = UnsupportedKeys()
        for key in top.keys where !topLevel.contains(key) && !key.hasPrefix("x-") { unsupported.add(key, in: nil) }
        let shell = try Shell(top["shell"], file: file)
        let globalEnv = try environment(top["environment"], file: file, app: nil)
        var translation = Translation(document: .null)
        let disabled = Set(processes.entries.filter { $0.value["disabled"]?.boolValue == true }.map(\.key))
        var apps: [JSON] = []
        for (name, value) in processes.entries {
            guard let process = value.objectValue else {
                throw ConfigError(file: file, app: "'\(name)'", message: "expected a mapping, got \(value.typeName)")
            }
            if disabled.contains(name) {
                translation.warnings.append("\(file): '\(name)' is disabled; not started")
                continue
            }
            var reader = ProcessReader(name: name, process: process, file: file, shell: shell)
            if let needed = reader.dependencies().first(where: disabled.contains) {
                throw ConfigError(file: file, app: "'\(name)'", field: "depends_on",
                                  message: "'\(needed)' is disabled; enable it or remove the dependency")
            }
            apps.append(.object(try reader.app(globalEnv: globalEnv)))
            translation.warnings += reader.warnings
            for key in process.keys where !translated.contains(key) && passedOn[key] == nil { unsupported.add(key, in: name) }
        }
        if let warning = unsupported.warning(file: file) { translation.warnings.insert(warning, at: 0) }
        if apps.isEmpty && !disabled.isEmpty {
            throw ConfigError(file: file, message: "every process is disabled; nothing to start")
        }
        translation.document = .object(["apps": .array(apps)])
        return translation
    }

    /// `environment` as process-compose writes it (`- KEY=VALUE`), or a mapping.
    static func environment(_ value: JSON?, file: String, app: String?) throws(ConfigError) -> JSONObject {
        var env = JSONObject()
        switch value {
        case nil, .null?:
            break
        case .array(let items)?:
            for item in items {
                guard let text = Ecosystem.scalarText(item), let eq = text.firstIndex(of: "="), eq != text.startIndex else {
                    throw ConfigError(file: file, app: app, field: "environment", message: "expected KEY=VALUE, got \(item.serialized())")
                }
                env[String(text[..<eq])] = .string(String(text[text.index(after: eq)...]))
            }
        case .object(let object)?:
            for (key, item) in object.entries {
                guard let text = Ecosystem.scalarText(item) else {
                    throw ConfigError(file: file, app: app, field: "environment.\(key)", message: "expected a string, got \(item.typeName)")
                }
                env[key] = .string(text)
            }
        case let other?:
            throw ConfigError(file: file, app: app, field: "environment", message: "expected a list of KEY=VALUE, got \(other.typeName)")
        }
        return env
    }

    /// `shell`: the program and argument each command runs through.
    struct Shell: Equatable {
        var command = "bash"
        var argument = "-c"

        init(_ value: JSON?, file: String) throws(ConfigError) {
            guard let value, value != .null else { return }
            guard let object = value.objectValue else {
                throw ConfigError(file: file, field: "shell", message: "expected {shell_command, shell_argument}, got \(value.typeName)")
            }
            if let text = object["shell_command"]?.stringValue, !text.isEmpty { command = text }
            if let text = object["shell_argument"]?.stringValue, !text.isEmpty { argument = text }
        }
    }

    /// Keys procd has no use for, with the processes that set them, for one warning.
    struct UnsupportedKeys {
        private var keys: [(key: String, processes: [String])] = []

        mutating func add(_ key: String, in process: String?) {
            if let at = keys.firstIndex(where: { $0.key == key }) {
                if let process { keys[at].processes.append(process) }
            } else {
                keys.append((key, process.map { [$0] } ?? []))
            }
        }

        func warning(file: String) -> String? {
            guard !keys.isEmpty else { return nil }
            let listed = keys.map { $0.processes.isEmpty ? $0.key : "\($0.key) (\($0.processes.joined(separator: ", ")))" }
            return "\(file): not supported by procd, ignored: " + listed.joined(separator: "; ")
        }
    }
}
