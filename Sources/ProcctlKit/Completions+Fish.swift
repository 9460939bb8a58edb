extension Completions {
    /// `procctl.fish`: `complete` rules for fish, guarded by small helper functions.
    public static func fish() -> String {
        var out = """
            # fish completion for procctl; \(header).
            # Install: copy to /usr/share/fish/vendor_completions.d/procctl.fish.

            # The words typed so far without the options before the command (--host …).
            function __procctl_words
                set -l words (commandline -opc)
                set -l i 2
                while test $i -le (count $words)
                    switch $words[$i]
                        case \(globalValued(separator: " "))
                            set i (math $i + 2)
                        case \(globalFlags(separator: " ", quote: "'"))
                            set i (math $i + 1)
                        case '*'
                            break
                    end
                end
                printf '%s\\n' $words[1]
                test $i -le (count $words); and printf '%s\\n' $words[$i..-1]
                return 0
            end

            # True when no command has been typed yet (and no option value is awaited).
            function __procctl_needs_command
                set -l words (__procctl_words)
                set -l typed (commandline -opc)
                test (count $words) -eq 1; or return 1
                contains -- $typed[-1] \(globalValued(separator: " ")); and return 1
                return 0
            end

            # True when the command typed is one of $argv.
            function __procctl_using_command
                set -l words (__procctl_words)
                test (count $words) -gt 1; and contains -- $words[2] $argv
            end

            # How many operands follow the command (words not starting with '-').
            function __procctl_operand_count
                set -l words (__procctl_words)
                set -l n 0
                for word in $words[3..-1]
                    string match -q -- '-*' $word; or set n (math $n + 1)
                end
                echo $n
            end

            # Live app names and process ids, plus 'all'. Prints nothing more when no daemon runs.
            function __procctl_targets
                procctl __complete 2>/dev/null
                echo all
            end

            complete -c procctl -f
            complete -c procctl -n __procctl_needs_command -s h -l help -d 'show help'
            complete -c procctl -n __procctl_needs_command -s v -l version -d 'print the version'

            """
        for option in CommandTable.globalOptions {
            var rule = "complete -c procctl -n __procctl_needs_command"
            if let short = option.short { rule += " -s \(short)" }
            rule += " -l \(option.long)"
            if option.value != nil { rule += " -x" }
            out += rule + " -d \(fishQuote(option.help))\n"
        }
        for command in CommandTable.commands {
            out += "\n# \(command.name)\n"
            out += "complete -c procctl -n __procctl_needs_command -a \(command.name) -d \(fishQuote(command.summary))\n"
            for alias in command.aliases {
                out += "complete -c procctl -n __procctl_needs_command -a \(alias) -d \(fishQuote("alias of \(command.name)"))\n"
            }
            let condition = fishQuote("__procctl_using_command " + ([command.name] + command.aliases).joined(separator: " "))
            out += "complete -c procctl -n \(condition) -s h -l help -d 'show help'\n"
            for option in command.options {
                var rule = "complete -c procctl -n \(condition)"
                if let short = option.short { rule += " -s \(short)" }
                rule += " -l \(option.long)"
                if option.value != nil { rule += fishValue(option.completion) }
                out += rule + " -d \(fishQuote(option.help))\n"
            }
            out += fishOperands(command, condition: condition)
        }
        return out
    }

    private static func fishValue(_ completion: OptionSpec.Completion) -> String {
        switch completion {
        case .file: " -r -F"
        case .directory: " -x -a '(__fish_complete_directories (commandline -ct))'"
        case .signal: " -x -a " + fishQuote(signalNames.joined(separator: " "))
        case .number, .none: " -x"
        }
    }

    private static func fishOperands(_ command: CommandSpec, condition: String) -> String {
        let rule = "complete -c procctl -n \(condition)"
        switch command.operand {
        case .none:
            return ""
        case .targets, .optionalTarget, .app, .process:
            return rule + " -a '(__procctl_targets)'\n"
        case .script:
            return rule + " -F\n"
        case .command:
            let names = CommandTable.commands.map(\.name).joined(separator: " ")
            return "complete -c procctl -n \(fishQuote("__procctl_using_command \(command.name); and test (__procctl_operand_count) -eq 0")) -a \(fishQuote(names))\n"
        case .signalAndTargets:
            let first = fishQuote("__procctl_using_command \(command.name); and test (__procctl_operand_count) -eq 0")
            let rest = fishQuote("__procctl_using_command \(command.name); and test (__procctl_operand_count) -gt 0")
            return "complete -c procctl -n \(first) -a \(fishQuote(signalNames.joined(separator: " ")))\n"
                + "complete -c procctl -n \(rest) -a '(__procctl_targets)'\n"
        }
    }

    /// Single-quotes a word for fish, where `\\` and `\'` are the only escapes.
    static func fishQuote(_ text: String) -> String {
        "'" + text.replacing("\\", with: "\\\\").replacing("'", with: "\\'") + "'"
    }
}
