/// `man/procctl.1`, in mdoc, generated from the command table plus fixed prose
/// (`ManPage+Prose.swift`).
///
/// The page is checked in; a snapshot test regenerates it and fails when it drifts.
/// Nothing here reads the clock, so the output is the same on every run.
public enum ManPage {
    /// The page's `.Dd` date. Change it by hand when the prose changes.
    static let date = "November 21, 2026"

    /// The whole of `procctl.1`.
    public static func procctl() -> String {
        var page = ""
        page += ".Dd \(date)\n.Dt PROCCTL 1\n.Os\n"
        page += ".Sh NAME\n.Nm procctl\n.Nd control procd, a process manager for programs in any language\n"
        page += synopsis
        page += ".Sh DESCRIPTION\n" + description
        page += ".Sh COMMANDS\n" + commands()
        page += ".Sh TARGETS\n" + targets
        page += ".Sh ENVIRONMENT\n" + environment
        page += ".Sh FILES\n" + files
        page += ".Sh EXIT STATUS\n" + exitStatus
        page += ".Sh EXAMPLES\n" + examples
        page += ".Sh SEE ALSO\n.Xr procd-ecosystem 5 ,\n.Xr procd 8\n"
        return page
    }

    /// Every command with its usage, summary, aliases and options.
    static func commands() -> String {
        var out = ".Bl -tag -width Ds\n"
        for command in CommandTable.commands {
            out += ".It Nm " + usageMacros(command.usage) + "\n"
            out += text(sentence(command.summary))
            if !command.aliases.isEmpty {
                out += (command.aliases.count == 1 ? "Alias:\n" : "Aliases:\n")
                out += "." + command.aliases.map { "Cm \($0)" }.joined(separator: " , ") + " .\n"
            }
            guard !command.options.isEmpty else { continue }
            out += ".Bl -tag -width Ds\n"
            for option in command.options {
                out += ".It " + optionMacros(option) + "\n"
                var help = sentence(option.help)
                if option.repeatable && !option.help.contains("repeatable") { help += " May be repeated." }
                out += text(help)
            }
            out += ".El\n"
        }
        out += ".El\n.Pp\nEvery command accepts\n.Fl h\nand\n.Fl \\-help .\n"
        return out
    }

    /// `start <script|command> [options] [-- args...]` as mdoc macros, command name first.
    static func usageMacros(_ usage: String) -> String {
        let words = usage.split(separator: " ").map(String.init)
        guard let name = words.first else { return "" }
        var out = ["Cm " + name]
        var open = 0
        for var word in words.dropFirst() {
            while word.hasPrefix("[") {
                out.append("Oo")
                open += 1
                word.removeFirst()
            }
            var closes = 0
            while word.hasSuffix("]") {
                closes += 1
                word.removeLast()
            }
            let isPlaceholder = word.hasPrefix("<")
            word = String(word.filter { $0 != "<" && $0 != ">" })
            for (index, piece) in word.split(separator: "|", omittingEmptySubsequences: false).enumerated() {
                if index > 0 { out.append("|") }
                let piece = String(piece)
                out.append(!isPlaceholder && piece.hasPrefix("-") ? flag(piece) : "Ar " + argument(piece))
            }
            for _ in 0..<min(closes, open) { out.append("Oc") }
            open -= min(closes, open)
        }
        out += Array(repeating: "Oc", count: open)
        return out.joined(separator: " ")
    }

    /// `Fl n , Fl \-name Ar NAME` for one option.
    static func optionMacros(_ option: OptionSpec) -> String {
        var parts: [String] = []
        if let short = option.short { parts.append("Fl \(short) ,") }
        parts.append("Fl \\-" + option.long)
        if let value = option.value { parts.append("Ar " + argument(value)) }
        return parts.joined(separator: " ")
    }

    private static func flag(_ word: String) -> String {
        if word == "--" { return "Fl \\-" }
        if word.hasPrefix("--") { return "Fl \\-" + word.dropFirst(2) }
        return "Fl " + word.dropFirst()
    }

    /// An argument word, protected from being read as a macro (`No`, `Ns`, ...) or a delimiter.
    private static func argument(_ word: String) -> String {
        if word.hasSuffix("..."), word.count > 3 { return "\\&" + word.dropLast(3) + " ..." }
        return "\\&" + word
    }

    /// A summary as a sentence: capitalised, with a full stop.
    static func sentence(_ text: String) -> String {
        guard let first = text.first else { return text }
        let body = first.uppercased() + text.dropFirst()
        return body.hasSuffix(".") ? body : body + "."
    }

    /// Table text as mdoc text lines: escaped, each sentence on a new line, wrapped at 80.
    static func text(_ text: String) -> String {
        var lines: [String] = []
        var current = ""
        for word in text.split(separator: " ") {
            let endsSentence = current.hasSuffix(".") && !current.hasSuffix("e.g.") && !current.hasSuffix("i.e.")
            // mdoc wants a new line after each sentence; a line ending in "." must end one.
            if !current.isEmpty && (endsSentence || (current.count + 1 + word.count > 80 && !current.hasSuffix("."))) {
                lines.append(current)
                current = ""
            }
            current += (current.isEmpty ? "" : " ") + word
        }
        if !current.isEmpty { lines.append(current) }
        return lines.map { escape($0) + "\n" }.joined()
    }

    /// Escapes one text line: backslashes, and a leading `.` or `'` that would read as a request.
    static func escape(_ line: String) -> String {
        var out = line.replacing("\\", with: "\\e")
        if out.hasPrefix(".") || out.hasPrefix("'") { out = "\\&" + out }
        return out
    }
}
