/// The table of app attributes. Adding one is one declaration in the group it belongs
/// to, plus the behaviour that uses it; files, the wire, the command line, `describe`,
/// the man page and the completions follow from the declaration.
public enum AppAttributes {
    /// Every attribute of the spec, in reading order: a file's first problem in this order
    /// is the one reported.
    public static let all: [AppAttribute] = running + policy + logs + health + stack + identity

    /// The attributes set before an app is resolved: the command, where it runs, how
    /// many, its environment. Their values are read by `AppDraft`'s readers, which
    /// resolve paths, interpreters and the CPU count; they are declared here for the
    /// names, options and documentation.
    public static let draft: [DraftAttribute] = [
        DraftAttribute("name", flag: .value("name", short: "n", "NAME", "app name (default: the script's name without extension)"),
                       summary: "the app's name (default: the script's name without extension)"),
        DraftAttribute("script", summary: "the script, program or command line to run"),
        DraftAttribute("args", summary: "arguments for the script (a list, or one string split as a shell would)"),
        DraftAttribute("instances", flag: .value("instances", short: "i", "N", "number of processes: N, 'max' (all CPUs) or -1 (CPUs less one)"),
                       summary: "number of processes: N, max (all CPUs) or -1 (CPUs less one)"),
        DraftAttribute("cwd", flag: .value("cwd", "DIR", "working directory (default: the current one)", completion: .directory),
                       summary: "the working directory (relative to the file's directory)"),
        DraftAttribute("interpreter", flag: .value("interpreter", "PROGRAM", "run the script with PROGRAM; 'none' runs it directly"),
                       summary: "run the script with this program; none runs it directly"),
        DraftAttribute("interpreter_args", aliases: ["node_args"],
                       flag: .value("interpreter-args", "ARGS", "arguments for the interpreter, before the script"),
                       summary: "arguments for the interpreter, before the script"),
        DraftAttribute("env", flag: .value("env", "KEY=VALUE|NAME", "set a variable; with a config file a NAME applies its env_NAME block (repeatable)", repeatable: true),
                       summary: "variables for the app; env_NAME blocks apply with --env NAME", updatedByRestart: true),
        DraftAttribute("env_file", flag: .value("env-file", "FILE", "read KEY=VALUE lines (dotenv format)", repeatable: true, completion: .file),
                       summary: "a dotenv file read at start, relative to cwd", updatedByRestart: true),
    ]

    /// A spec with every default, for comparisons.
    public static let blank = AppSpec(name: "", command: [], cwd: "/")

    /// Every key and alias a file may use for an app.
    public static let fileKeys: Set<String> = Set(all.flatMap { [$0.key] + $0.aliases } + draft.flatMap { [$0.key] + $0.aliases })

    public static func named(_ key: String) -> AppAttribute? { all.first { $0.key == key || $0.aliases.contains(key) } }

    /// The spec's attributes in their JSON form, in table order.
    static func encode(_ spec: AppSpec, into object: inout JSONObject) {
        for attribute in all {
            if let value = attribute.write(spec) { object[attribute.key] = value }
        }
    }

    /// Reads every attribute present in `object` (the wire form) into `spec`.
    static func decode(_ object: JSONObject, into spec: inout AppSpec) throws(SpecError) {
        for attribute in all {
            guard let value = object[attribute.key], value != .null else { continue }
            do {
                try attribute.read(AttributeInput(value: value, source: .wire, booleanWords: false), &spec)
            } catch {
                throw SpecError(field: attribute.key, message: error.message)
            }
        }
    }
}

/// An attribute of the app as first described (see `AppAttributes.draft`).
public struct DraftAttribute: Sendable {
    public let key: String
    public let aliases: [String]
    public let flag: CommandLineFlag?
    public let summary: String
    public let updatedByRestart: Bool

    init(_ key: String, aliases: [String] = [], flag: CommandLineFlag? = nil, summary: String, updatedByRestart: Bool = false) {
        self.key = key
        self.aliases = aliases
        self.flag = flag
        self.summary = summary
        self.updatedByRestart = updatedByRestart
    }
}
