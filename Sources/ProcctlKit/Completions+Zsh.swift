extension Completions {
    /// `_arguments` specs of the options before the command, a line each.
    static var globalSpecs: String {
        CommandTable.globalOptions.map { option in
            let names = option.short.map { "{-\($0),--\(option.long)}" } ?? "--\(option.long)"
            let repeatable = option.repeatable ? "'*'" : ""
            let value = option.value.map { ":" + zshDescribeEscape($0.lowercased()) + ":" } ?? ""
            return "    \(repeatable)\(names)'[\(zshDescribeEscape(option.help))]\(value)' \\\n"
        }.joined()
    }

    /// `_procctl`: an `_arguments`-based completion function for zsh's compsys.
    public static func zsh() -> String {
        var out = """
            #compdef procctl
            # zsh completion for procctl; \(header).
            # Install: copy to a directory on $fpath (e.g. /usr/local/share/zsh/site-functions).

            # Live app names and process ids, plus 'all'. Offers nothing else when no daemon runs.
            (( $+functions[_procctl_targets] )) ||
            _procctl_targets() {
              local -a targets
              targets=(${(f)"$(procctl __complete 2>/dev/null)"} all)
              _wanted targets expl 'target (app, id, namespace or all)' compadd -a targets
            }

            (( $+functions[_procctl_commands] )) ||
            _procctl_commands() {
              local -a commands
              commands=(

            """
        for command in CommandTable.commands {
            out += "    " + zshQuote(zshDescribeEscape(command.name) + ":" + command.summary) + "\n"
            for alias in command.aliases {
                out += "    " + zshQuote(zshDescribeEscape(alias) + ":" + command.summary + " (alias of \(command.name))") + "\n"
            }
        }
        out += """
              )
              _describe -t commands 'procctl command' commands
            }

            _procctl() {
              local curcontext=$curcontext state line ret=1
              typeset -A opt_args
              _arguments -C \\
                '(- *)'{-h,--help}'[show help]' \\
                '(- *)'{-v,--version}'[print the version]' \\
            \(globalSpecs)    '1: :_procctl_commands' \\
                '*:: :->args' && return
              curcontext=${curcontext%:*:*}:procctl-$words[1]:
              case $words[1] in

            """
        for command in CommandTable.commands {
            out += "    " + ([command.name] + command.aliases).joined(separator: "|") + ")\n"
            var specs = ["'(- *)'{-h,--help}'[show help]'"]
            specs += command.options.map(zshOption)
            specs += zshOperands(command)
            let flags = command.operand == .script ? "-S -s" : "-s"
            out += "      _arguments \(flags) \\\n        " + specs.joined(separator: " \\\n        ") + " && ret=0\n"
            out += "      ;;\n"
        }
        out += """
              esac
              return ret
            }

            _procctl "$@"

            """
        return out
    }

    /// One `_arguments` spec: exclusions, names, description, value message and action.
    private static func zshOption(_ option: OptionSpec) -> String {
        let long = "--" + option.long
        let short = option.short.map { "-\($0)" }
        let description = "[" + zshBracketEscape(option.help) + "]"
        var value = ""
        if let name = option.value {
            value = ":" + zshDescribeEscape(name) + ":" + zshAction(option.completion)
        }
        let star = option.repeatable ? "*" : ""
        guard let short else {
            let spec = star + long + (option.value == nil ? "" : "=") + description + value
            return zshQuote(spec)
        }
        let exclusion = option.repeatable ? "" : "'(\(short) \(long))'"
        let suffixShort = option.value == nil ? "" : "+"
        let suffixLong = option.value == nil ? "" : "="
        return exclusion + "\(star.isEmpty ? "" : "'*'"){\(short)\(suffixShort),\(long)\(suffixLong)}"
            + zshQuote(description + value)
    }

    private static func zshAction(_ completion: OptionSpec.Completion) -> String {
        switch completion {
        case .file: "_files"
        case .directory: "_files -/"
        case .signal: "(" + signalNames.joined(separator: " ") + ")"
        case .number, .none: " "
        }
    }

    private static func zshOperands(_ command: CommandSpec) -> [String] {
        switch command.operand {
        case .none: []
        case .targets: ["'*: :_procctl_targets'"]
        case .optionalTarget, .app, .process: ["': :_procctl_targets'"]
        case .script: ["':script or command:_files'", "'*::argument:_files'"]
        case .command: ["': :_procctl_commands'"]
        case .signalAndTargets: [zshQuote(":signal:" + zshAction(.signal)), "'*: :_procctl_targets'"]
        }
    }

    /// Single-quotes a word for zsh.
    static func zshQuote(_ text: String) -> String {
        "'" + text.replacing("'", with: "'\\''") + "'"
    }

    /// Escapes `[` and `]` inside an `_arguments` description.
    private static func zshBracketEscape(_ text: String) -> String {
        text.replacing("[", with: "\\[").replacing("]", with: "\\]")
    }

    /// Escapes `:` in a `_describe` item name or an `_arguments` message.
    private static func zshDescribeEscape(_ text: String) -> String {
        text.replacing(":", with: "\\:")
    }
}
