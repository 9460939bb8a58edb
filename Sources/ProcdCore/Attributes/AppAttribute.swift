/// One attribute of an app definition, declared once: its names in files, on the wire and
/// on the command line, how it is read and written, where `describe` shows it, and its
/// line of documentation. `AppAttributes.all` is the table; CLI parsing, ecosystem
/// reading, the spec's JSON form, `describe`, `--help`, the man page, the completions
/// and the export notes are all built from it.
public struct AppAttribute: Sendable {
    /// The key in ecosystem files, `state.json`, `dump.json` and the wire.
    public let key: String
    /// Other names files may use (pm2's `output` for `out_file`); `key` wins when both are set.
    public let aliases: [String]
    /// The kind of value, for documentation and for reading YAML 1.1's boolean words.
    public let type: AttributeType
    /// Its `procctl start` option, if it has one.
    public let flag: CommandLineFlag?
    public let group: AttributeGroup
    /// The row's label in `describe`, and how the value is shown there.
    public let label: String
    public let display: AttributeDisplay
    /// One line of documentation.
    public let summary: String
    /// Whether `restart --update-env` applies a new value to a running app.
    public let updatedByRestart: Bool
    /// What exports call it when the target has no counterpart; nil when every export
    /// carries it or it does not matter outside procd.
    public let exportNote: String?
    /// A value in its file form that differs from the default (tests and documentation).
    public let example: JSON
    let read: @Sendable (AttributeInput, inout AppSpec) throws(AttributeError) -> Void
    /// The JSON form; nil leaves the key out.
    let write: @Sendable (AppSpec) -> JSON?

    init(_ key: String, aliases: [String] = [], type: AttributeType, flag: CommandLineFlag? = nil,
         group: AttributeGroup, label: String, display: AttributeDisplay = .text, summary: String,
         updatedByRestart: Bool = false, exportNote: String? = nil, example: JSON,
         read: @escaping @Sendable (AttributeInput, inout AppSpec) throws(AttributeError) -> Void,
         write: @escaping @Sendable (AppSpec) -> JSON?) {
        self.key = key
        self.aliases = aliases
        self.type = type
        self.flag = flag
        self.group = group
        self.label = label
        self.display = display
        self.summary = summary
        self.updatedByRestart = updatedByRestart
        self.exportNote = exportNote
        self.example = example
        self.read = read
        self.write = write
    }

    /// Reads `value` (not null) from `source` into `spec`.
    public func read(_ value: JSON, from source: AttributeSource, booleanWords: Bool = false,
                     into spec: inout AppSpec) throws(AttributeError) {
        try read(AttributeInput(value: value, source: source, booleanWords: booleanWords), &spec)
    }

    /// The JSON form of the attribute in `spec`; nil when it is left out.
    public func value(in spec: AppSpec) -> JSON? { write(spec) }

    /// The JSON form of its default (nil: absent unless set), from `AppSpec`'s initial values.
    public var defaultValue: JSON? { write(AppAttributes.blank) }

    /// Whether `spec` sets it to something other than the default.
    public func isSet(in spec: AppSpec) -> Bool { write(spec) != defaultValue }
}

/// The kinds of attribute values.
public enum AttributeType: String, Sendable {
    case text, boolean, count, duration, size, list, object
}

/// The sections of `describe` an attribute's row stands in: Command, Restart policy,
/// Readiness and ports, Stack, Health, Logs, Identity.
public enum AttributeGroup: Sendable, CaseIterable {
    case running, policy, readiness, stack, health, logs, identity
}

/// How `describe` shows a value of the JSON form.
public enum AttributeDisplay: Sendable {
    case text, milliseconds, bytes, probe, dependencies
    /// Shown as the process has it (its resolved ports and log paths), not as defined.
    case withTheProcess
}

/// Where a value comes from. Files and the command line take text for numbers and
/// durations with units (`"30s"`, `10M`); the wire takes the JSON form `json` writes.
public enum AttributeSource: Sendable {
    case wire, file, commandLine
}

/// Why a value was refused; the reader of each source names the attribute its own way.
public struct AttributeError: Error, Equatable, Sendable {
    public var message: String
    public init(_ message: String) { self.message = message }
}

/// A `procctl start` option that sets an attribute.
public struct CommandLineFlag: Sendable {
    public enum Completion: Sendable { case none, file, directory, signal, number }

    public let long: String
    public let short: Character?
    /// The value's name in help; nil for a switch, which sets `setting`.
    public let valueName: String?
    public let setting: JSON
    public let help: String
    /// Given more than once, the values make a list.
    public let repeatable: Bool
    public let completion: Completion
    /// `--watch` alone means the current directory.
    public let optionalValue: Bool
    /// The values are paths, made absolute from procctl's directory.
    public let paths: Bool

    /// An option with a value.
    static func value(_ long: String, short: Character? = nil, _ valueName: String, _ help: String, repeatable: Bool = false,
                      completion: Completion = .none, optionalValue: Bool = false, paths: Bool = false) -> CommandLineFlag {
        CommandLineFlag(long: long, short: short, valueName: valueName, setting: .null, help: help, repeatable: repeatable,
                        completion: completion, optionalValue: optionalValue, paths: paths)
    }

    /// A switch that sets the attribute to `setting`.
    static func setting(_ long: String, _ setting: JSON, _ help: String) -> CommandLineFlag {
        CommandLineFlag(long: long, short: nil, valueName: nil, setting: setting, help: help, repeatable: false,
                        completion: .none, optionalValue: false, paths: false)
    }
}
