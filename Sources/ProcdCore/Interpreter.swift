/// Chooses how to run a script: by `--interpreter`, or by the file's extension.
public enum Interpreter {
    /// The interpreter for a script's extension; nil runs the file itself.
    public static func forScript(_ path: String) -> String? {
        let name = path.split(separator: "/").last.map(String.init) ?? path
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return nil }
        switch name[name.index(after: dot)...].lowercased() {
        case "js", "cjs", "mjs": return "node"
        case "py": return "python3"
        case "rb": return "ruby"
        case "sh": return "bash"
        case "pl": return "perl"
        case "php": return "php"
        default: return nil
        }
    }

    /// The default app name: a script's file name without its extension, a program's base name.
    public static func defaultName(for program: String) -> String {
        let base = program.split(separator: "/").last.map(String.init) ?? program
        if let dot = base.lastIndex(of: "."), dot != base.startIndex {
            return String(base[..<dot])
        }
        return base
    }
}
