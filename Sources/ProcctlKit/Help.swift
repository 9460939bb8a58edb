import ProcdWire

/// `--help` texts, generated from the command table.
public enum Help {
    public static func overview() -> String {
        var out = "usage: procctl <command> [options]\n\nprocctl controls procd, a process manager for any language.\n\nCommands:\n"
        let width = CommandTable.commands.map { $0.usage.count }.max() ?? 0
        for command in CommandTable.commands {
            out += "  " + command.usage + String(repeating: " ", count: width - command.usage.count + 2) + command.summary + "\n"
        }
        out += """

            Targets: a process id, an app name, a namespace, or 'all'; several may be given.
            Environment: PROCD_HOME (default ~/.procd), NO_COLOR.
            Exit codes: 0 done, 1 the operation failed, 2 usage error.
            Run 'procctl <command> --help' for a command's options; see procctl(1).

            """
        return out
    }

    public static func text(for command: CommandSpec) -> String {
        var out = "usage: procctl \(command.usage)\n\n\(command.summary).\n"
        if !command.aliases.isEmpty { out += "Aliases: \(command.aliases.joined(separator: ", ")).\n" }
        if !command.options.isEmpty {
            out += "\nOptions:\n"
            let labels = command.options.map(label)
            let width = labels.map(\.count).max() ?? 0
            for (option, text) in zip(command.options, labels) {
                out += "  " + text + String(repeating: " ", count: width - text.count + 2) + option.help + "\n"
            }
        }
        out += "  -h, --help  show this help\n"
        return out
    }

    static func label(_ option: OptionSpec) -> String {
        var text = option.short.map { "-\($0), " } ?? "    "
        text += "--" + option.long
        if let value = option.value { text += " " + value }
        return text
    }
}
