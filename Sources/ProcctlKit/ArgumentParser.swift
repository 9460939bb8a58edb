/// A usage mistake: reported with the command's help hint and exit code 2.
public struct UsageError: Error, Equatable, Sendable {
    public var message: String
    public init(_ message: String) { self.message = message }
}

/// The words of one command line, sorted into options, operands and pass-through args.
public struct ParsedArguments: Sendable {
    public var values: [String: [String]] = [:]
    public var flags: Set<String> = []
    public var operands: [String] = []
    /// Everything after `--`.
    public var passthrough: [String] = []
    public var wantsHelp = false

    public func value(_ long: String) -> String? { values[long]?.last }
    public func all(_ long: String) -> [String] { values[long] ?? [] }
    public func has(_ long: String) -> Bool { flags.contains(long) }

    public static func parse(_ words: [String], for command: CommandSpec) throws(UsageError) -> ParsedArguments {
        var reader = Reader(words: words, command: command)
        try reader.readAll()
        return reader.parsed
    }
}

/// Reads a command's words left to right: options (long, short, bundled flags, inline
/// values, optional values), operands, and everything after `--`.
private struct Reader {
    let words: [String]
    let command: CommandSpec
    var parsed = ParsedArguments()
    var i = 0

    init(words: [String], command: CommandSpec) {
        self.words = words
        self.command = command
    }

    mutating func readAll() throws(UsageError) {
        while i < words.count {
            let word = words[i]
            if word == "--" {
                parsed.passthrough = Array(words[(i + 1)...])
                return
            }
            if word == "-h" || word == "--help" {
                parsed.wantsHelp = true
            } else if word.hasPrefix("--") {
                try long(word)
            } else if word.hasPrefix("-"), word.count > 1, Int(word) == nil {
                try short(word)
            } else {
                parsed.operands.append(word)
            }
            i += 1
        }
    }

    /// `--name`, `--name=value` or `--name value`.
    private mutating func long(_ word: String) throws(UsageError) {
        let body = word.dropFirst(2)
        let name = body.split(separator: "=", maxSplits: 1).first.map(String.init) ?? ""
        let inline = body.contains("=") ? String(body[body.index(after: body.firstIndex(of: "=") ?? body.startIndex)...]) : nil
        guard let option = command.option(named: name) else {
            throw UsageError("unknown option '--\(name)' for '\(command.name)'")
        }
        try take(option, inline: inline)
    }

    /// `-n value`, `-nvalue`, or bundled flags (`-fv`).
    private mutating func short(_ word: String) throws(UsageError) {
        let letters = Array(word.dropFirst())
        guard let first = letters.first, let option = command.option(short: first) else {
            throw UsageError("unknown option '\(word)' for '\(command.name)'")
        }
        if option.value != nil {
            try take(option, inline: letters.count > 1 ? String(letters.dropFirst()) : nil)
            return
        }
        for letter in letters {
            guard let flag = command.option(short: letter), flag.value == nil else {
                throw UsageError("unknown option '-\(letter)' for '\(command.name)'")
            }
            parsed.flags.insert(flag.long)
        }
    }

    private mutating func take(_ option: OptionSpec, inline: String?) throws(UsageError) {
        guard option.value != nil else {
            if inline != nil { throw UsageError("option '--\(option.long)' takes no value") }
            parsed.flags.insert(option.long)
            return
        }
        var value = inline
        if value == nil, option.optionalValue {
            if i + 1 < words.count, !words[i + 1].hasPrefix("-") {
                i += 1
                value = words[i]
            } else {
                value = ""
            }
        }
        if value == nil {
            i += 1
            guard i < words.count else { throw UsageError("option '--\(option.long)' needs a value (\(option.value ?? "VALUE"))") }
            value = words[i]
        }
        parsed.values[option.long, default: []].append(value ?? "")
    }
}
