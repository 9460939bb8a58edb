import ProcdPlatform

/// The command line of a procbench mode (`procbench MODE …`): `--NAME VALUE` pairs and
/// `-h`/`--help`, checked against the names the mode knows.
struct ModeArguments {
    /// Each value given, by option name (with its dashes).
    private(set) var values: [String: String] = [:]

    /// How a mode ends before it measures anything: its exit status, after printing what
    /// was wrong (and the usage) or the usage alone.
    struct Exit: Error {
        var status: Int32
    }

    /// Reads `arguments`; `--help` prints `usage` and ends with 0, an unknown option or one
    /// without its value prints an error and `usage` on stderr and ends with 2.
    init(_ arguments: [String], known: Set<String>, usage: String) throws(Exit) {
        var i = 0
        while i < arguments.count {
            let name = arguments[i]
            if name == "-h" || name == "--help" {
                Environment.write(usage, to: 1)
                throw Exit(status: 0)
            }
            guard known.contains(name) else { throw Self.refuse("unknown option '\(name)'", usage: usage) }
            guard i + 1 < arguments.count else { throw Self.refuse("\(name) needs a value", usage: usage) }
            values[name] = arguments[i + 1]
            i += 2
        }
    }

    /// A usage error: prints `message` and `usage` on stderr; exit status 2.
    static func refuse(_ message: String, usage: String) -> Exit {
        Environment.write("procbench: error: \(message)\n" + usage, to: 2)
        return Exit(status: 2)
    }

    /// The value of `name` as a positive whole number; `fallback` when not given.
    func positive(_ name: String, _ fallback: Int, usage: String) throws(Exit) -> Int {
        guard let text = values[name] else { return fallback }
        guard let n = Int(text), n > 0 else { throw Self.refuse("\(name) needs a positive number", usage: usage) }
        return n
    }
}
