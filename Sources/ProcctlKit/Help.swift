import ProcdWire

/// `--help` texts, generated from the command table, wrapped to 80 columns.
public enum Help {
    static let width = 80

    public static func overview() -> String {
        var out = "usage: procctl <command> [options]\n\nprocctl controls procd, a process manager for any language.\n\nCommands:\n"
        let names = CommandTable.commands.map { command in
            command.aliases.isEmpty ? command.name : "\(command.name) (\(command.aliases.joined(separator: ", ")))"
        }
        out += columns(zip(names, CommandTable.commands.map(\.summary)).map { ($0, $1) }, labelWidth: 24)
        out += """

            Targets: a process id, an app name, a namespace, or 'all'; several may be given.
            Hosts: procctl --host [USER@]HOST[:PORT] COMMAND runs it there through ssh
              (repeatable, or PROCD_HOST=h1,h2); --parallel N, --keep-going (go on
              after a host fails), --connect-timeout SECONDS (default 10).
            Environment: PROCD_HOME (default ~/.procd), PROCD_SSH, NO_COLOR.
            Exit codes: 0 done, 1 the operation failed, 2 usage error.
            Run 'procctl <command> --help' for a command's options; see procctl(1).

            """
        return out
    }

    public static func text(for command: CommandSpec) -> String {
        var out = wrap("usage: procctl \(command.usage)", indent: 7) + "\n" + wrap(command.summary + ".", indent: 0)
        if !command.aliases.isEmpty { out += wrap("Aliases: \(command.aliases.joined(separator: ", ")).", indent: 2) }
        if !command.options.isEmpty {
            out += "\nOptions:\n"
            out += columns(command.options.map { (label($0), $0.help) }, labelWidth: 30)
        }
        out += "  -h, --help  show this help\n"
        return out
    }

    static func label(_ option: OptionSpec) -> String {
        var text = option.short.map { "-\($0), " } ?? "    "
        text += "--" + option.long
        if let value = option.value { text += option.optionalValue ? " [\(value)]" : " " + value }
        return text
    }

    /// Two columns: labels, then their descriptions wrapped beside them; a label wider
    /// than `labelWidth` puts its description on the next line.
    static func columns(_ rows: [(String, String)], labelWidth: Int) -> String {
        let column = min(rows.map { $0.0.count }.max() ?? 0, labelWidth) + 4
        var out = ""
        for (label, text) in rows {
            let head = "  " + label
            if head.count + 2 > column {
                out += head + "\n" + wrap(String(repeating: " ", count: column) + text, indent: column)
            } else {
                out += wrap(head + String(repeating: " ", count: column - head.count) + text, indent: column)
            }
        }
        return out
    }

    /// `text` broken at spaces into lines of at most `width` columns, every line after
    /// the first indented by `indent`; a word longer than a line stands alone.
    static func wrap(_ text: String, indent: Int, width: Int = Help.width) -> String {
        var lines: [String] = []
        var line = ""
        var lineStart = true
        // Leading spaces are layout, not a word separator.
        let leading = text.prefix { $0 == " " }
        line = String(leading)
        for word in text.dropFirst(leading.count).split(separator: " ", omittingEmptySubsequences: false) {
            if !lineStart, line.count + 1 + word.count > width {
                lines.append(line)
                line = String(repeating: " ", count: indent) + word
            } else {
                line += (lineStart ? "" : " ") + word
            }
            lineStart = false
        }
        lines.append(line)
        return lines.map { $0 + "\n" }.joined()
    }
}
