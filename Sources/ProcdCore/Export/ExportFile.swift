/// What `procctl export` writes: files, and what could not be translated (never dropped
/// silently).
public struct ExportResult: Equatable, Sendable {
    public var files: [(name: String, contents: String)]
    public var warnings: [String]
    /// What to print when no directory is given, if not the files one after another.
    public var printed: String?

    public init(files: [(name: String, contents: String)] = [], warnings: [String] = [], printed: String? = nil) {
        self.files = files
        self.warnings = warnings
        self.printed = printed
    }

    public static func == (a: ExportResult, b: ExportResult) -> Bool {
        a.warnings == b.warnings && a.printed == b.printed && a.files.map(\.name) == b.files.map(\.name)
            && a.files.map(\.contents) == b.files.map(\.contents)
    }
}

/// Where the targets differ, the same app attributes are reported the same way.
enum ExportNotes {
    /// Attributes the engine has no counterpart for.
    static func untranslated(_ spec: AppSpec, engine: String, handled: Set<String>) -> [String] {
        AppAttributes.all.compactMap { attribute in
            guard let what = attribute.exportNote, !handled.contains(attribute.key), attribute.isSet(in: spec) else { return nil }
            return "\(spec.name): \(attribute.key) (\(what)) has no \(engine) equivalent; not exported"
        }
    }
}

extension AppSpec {
    /// Variables of an interactive shell that no exported service should carry.
    static let shellSession: Set<String> = ["OLDPWD", "PWD", "SHLVL", "_", "TERM", "COLUMNS", "LINES", "PS1", "SSH_TTY", "SSH_CLIENT", "SSH_CONNECTION"]

    /// The definition with only the variables it sets itself (`definedEnv`: env, env_file,
    /// env_NAME, --env), never those of the shell procctl ran in. A definition that did
    /// not record them (saved by an older procd) drops those of `ambient` (the environment
    /// of this procctl) and of a shell session.
    public func withOwnEnvironment(ambient: [String: String]) -> AppSpec {
        var copy = self
        if let definedEnv {
            copy.env = env.filter { definedEnv.contains($0.key) && !$0.key.hasPrefix(EnvironmentName.prefix) }
        } else {
            copy.env = env.filter { ambient[$0.key] != $0.value && !$0.key.hasPrefix(EnvironmentName.prefix) && !Self.shellSession.contains($0.key) }
        }
        return copy
    }
}
