/// Splits a command line into words the way a POSIX shell does for quotes and backslashes.
public enum ShellWords {
    public enum Failure: Error, Equatable, Sendable { case unterminatedQuote(Character) }

    public static func split(_ line: String) throws(Failure) -> [String] {
        var words: [String] = []
        var current = ""
        var inWord = false
        var quote: Character?
        var escaped = false
        for ch in line {
            if escaped {
                // Inside double quotes a backslash only escapes $ ` " \ (POSIX); before
                // anything else it stays, so "C:\temp" and "\d+" keep their backslashes.
                if quote == "\"", !"$`\"\\".contains(ch) { current.append("\\") }
                current.append(ch)
                escaped = false
                continue
            }
            if let q = quote {
                if ch == q {
                    quote = nil
                } else if ch == "\\" && q == "\"" {
                    escaped = true
                } else {
                    current.append(ch)
                }
                continue
            }
            switch ch {
            case "\\":
                escaped = true
                inWord = true
            case "'", "\"":
                quote = ch
                inWord = true
            case " ", "\t", "\n":
                if inWord { words.append(current) }
                current = ""
                inWord = false
            default:
                current.append(ch)
                inWord = true
            }
        }
        if let q = quote { throw .unterminatedQuote(q) }
        if escaped { current.append("\\") }
        if inWord { words.append(current) }
        return words
    }

    /// True when the line needs a shell: pipes, redirections, variables, globs, `&&`, `;`.
    public static func needsShell(_ line: String) -> Bool {
        line.contains { "|&;<>$`*?(){}~".contains($0) }
    }
}
