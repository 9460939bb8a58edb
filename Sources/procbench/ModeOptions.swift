import ProcdPlatform

/// The options of a mode that takes only counts (`--samples N`, `--apps N`), and `--help`.
enum ModeOptions {
    /// `defaults` with what `arguments` set; `exit` is the status to end with instead of
    /// running (after `--help`, or an unknown option, both printed with `usage`).
    static func counts(_ arguments: [String], defaults: [String: Int], usage: String) throws -> (values: [String: Int], exit: Int32?) {
        var values = defaults
        var i = 0
        while i < arguments.count {
            let option = arguments[i]
            if defaults[option] != nil, i + 1 < arguments.count {
                guard let n = Int(arguments[i + 1]), n > 0 else { throw BenchError("\(option) needs a positive number") }
                values[option] = n
                i += 2
                continue
            }
            if option == "-h" || option == "--help" {
                Environment.write(usage, to: 1)
                return (values, 0)
            }
            Environment.write("procbench: error: unknown option '\(option)'\n" + usage, to: 2)
            return (values, 2)
        }
        return (values, nil)
    }
}
