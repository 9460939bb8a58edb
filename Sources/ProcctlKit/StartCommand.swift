import ProcdCore
import ProcdPlatform
import ProcdWire

/// Turns `procctl start <script|command> [options]` into an app draft.
struct StartCommand {
    let arguments: ParsedArguments
    let cwd: String

    /// `--env KEY=VALUE` pairs; a word without '=' names an `env_NAME` block of a config.
    var environmentPairs: [(String, String)] {
        arguments.all("env").compactMap { pair in
            guard let eq = pair.firstIndex(of: "="), eq != pair.startIndex else { return nil }
            return (String(pair[..<eq]), String(pair[pair.index(after: eq)...]))
        }
    }

    var environmentNames: [String] { arguments.all("env").filter { !$0.contains("=") } }

    func draft() throws(CommandFailure) -> AppDraft {
        guard let target = arguments.operands.first else {
            throw CommandFailure("'start' needs a script, a command or a config file (see 'procctl start --help')", exitCode: 2)
        }
        if let name = environmentNames.first {
            throw CommandFailure("--env \(name): a script takes --env KEY=VALUE; environment names (env_\(name)) apply to config files", exitCode: 2)
        }
        var draft = AppDraft(script: target)
        draft.name = arguments.value("name")
        draft.args = Array(arguments.operands.dropFirst()) + arguments.passthrough
        draft.interpreter = arguments.value("interpreter")
        if let text = arguments.value("interpreter-args") { draft.interpreterArgs = try split(text) }
        draft.cwd = arguments.value("cwd").map { File.absolute($0, cwd: cwd) }
        draft.instances = arguments.value("instances")
        draft.envFiles = arguments.all("env-file").map { File.absolute($0, cwd: cwd) }
        for (key, value) in environmentPairs { draft.template.env[key] = value }
        try apply(to: &draft.template)
        return draft
    }

    private func split(_ line: String) throws(CommandFailure) -> [String] { try splitWords(line) }

    /// Applies the attributes' options given on the command line (see `AppAttributes`);
    /// with a config file they override what the file says.
    func apply(to spec: inout AppSpec) throws(CommandFailure) {
        for attribute in AppAttributes.all {
            guard let flag = attribute.flag, let value = given(flag) else { continue }
            do {
                try attribute.read(value, from: .commandLine, into: &spec)
            } catch {
                throw CommandFailure("--\(flag.long): \(error.message)", exitCode: 2)
            }
        }
        if (spec.user != nil || spec.group != nil) && Processes.effectiveUser != 0 {
            throw CommandFailure("--user and --group need procd running as root; run procctl as root, or drop them", exitCode: 2)
        }
    }

    /// The option's value as the attribute reads it: a switch's setting, a list for a
    /// repeatable option, paths made absolute from procctl's directory.
    private func given(_ flag: CommandLineFlag) -> JSON? {
        guard flag.valueName != nil else { return arguments.has(flag.long) ? flag.setting : nil }
        let resolve = { (text: String) -> JSON in .string(flag.paths && !text.isEmpty ? File.absolute(text, cwd: cwd) : text) }
        if flag.repeatable {
            let values = arguments.all(flag.long)
            return values.isEmpty ? nil : .array(values.map(resolve))
        }
        return arguments.value(flag.long).map(resolve)
    }
}

/// Splits a command line the shell's way; an unterminated quote is a usage error.
func splitWords(_ line: String) throws(CommandFailure) -> [String] {
    do {
        return try ShellWords.split(line)
    } catch {
        throw CommandFailure("unterminated quote in '\(line)'", exitCode: 2)
    }
}

extension Substring {
    func trimmingCharacters() -> String {
        var s = self
        while s.first?.isWhitespace == true { s.removeFirst() }
        while s.last?.isWhitespace == true { s.removeLast() }
        return String(s)
    }
}
