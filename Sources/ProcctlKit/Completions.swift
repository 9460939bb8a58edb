import ProcdCore

/// Shell completion scripts for bash, zsh and fish, generated from the command table.
///
/// They complete command names and aliases, each command's options, signal names (for
/// `signal` and options whose completion is `.signal`), files and directories where an
/// option asks for them, and live app names and process ids for targets, read from
/// `procctl __complete` (which prints nothing and never starts a daemon when none runs).
/// The scripts are checked in under `completions/`; a snapshot test keeps them in step.
public enum Completions {
    static let header = "generated from procctl's command table; do not edit (see README.md, Development)"

    /// Signal names as the daemon and `procctl signal` accept them.
    static var signalNames: [String] { Signals.table.map(\.name) }

    /// The spellings of the global options that take a value as a separate word, as shell
    /// `case` patterns joined by `separator` (bash `|`, fish a space).
    static func globalValued(separator: String) -> String {
        CommandTable.globalOptions.filter { $0.value != nil }.flatMap { ["--" + $0.long] + ($0.short.map { ["-\($0)"] } ?? []) }
            .joined(separator: separator)
    }
    /// The global options that are one word: flags, and `--NAME=VALUE` (its glob quoted
    /// with `quote`, which fish needs and bash must not have).
    static func globalFlags(separator: String, quote: String = "") -> String {
        (CommandTable.globalOptions.filter { $0.value == nil }.map { "--" + $0.long }
            + CommandTable.globalOptions.filter { $0.value != nil }.map { "\(quote)--\($0.long)=*\(quote)" }).joined(separator: separator)
    }
    /// The global options' names, as words.
    static var globalNames: String { CommandTable.globalOptions.map { "--" + $0.long }.joined(separator: " ") }

    /// Every name a command answers to, in table order.
    static var commandNames: [String] { CommandTable.commands.flatMap { [$0.name] + $0.aliases } }

    /// `procctl.bash`: a `complete -F` function; uses no bash-completion helper but works beside it.
    public static func bash() -> String {
        var out = """
            # bash completion for procctl; \(header).
            # Install: copy to /usr/share/bash-completion/completions/procctl, or source it.

            # Live app names and process ids, plus 'all'. Prints nothing when no daemon runs.
            _procctl_targets() {
                local IFS=$'\\n'
                COMPREPLY+=($(compgen -W "$(procctl __complete 2>/dev/null; echo all)" -- "$cur"))
            }

            _procctl() {
                local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]}
                local cword=$COMP_CWORD
                COMPREPLY=()
                # `--opt=value`: bash splits at '=' when it is in COMP_WORDBREAKS.
                if [[ $cur == = && $prev == --* ]]; then
                    cur=""
                elif [[ $prev == = && $cword -ge 2 ]]; then
                    prev=${COMP_WORDS[cword-2]}
                elif [[ $cur == --*=* ]]; then
                    prev=${cur%%=*}
                    cur=${cur#*=}
                fi
                # Options before the command (--host …): skip them, then drop them from the
                # words, so that the command is word 1 below.
                local ci=1
                while ((ci < cword)); do
                    case ${COMP_WORDS[ci]} in
                    \(globalValued(separator: "|"))) ((ci += 2)) ;;
                    \(globalFlags(separator: "|"))) ((ci++)) ;;
                    *) break ;;
                    esac
                done
                ((ci > cword)) && return
                if ((ci > 1)); then
                    COMP_WORDS=("${COMP_WORDS[0]}" "${COMP_WORDS[@]:ci}")
                    ((cword -= ci - 1))
                fi
                if ((cword == 1)); then
                    COMPREPLY=($(compgen -W "\(commandNames.joined(separator: " ")) \(globalNames) --help --version" -- "$cur"))
                    return
                fi
                local command=${COMP_WORDS[1]} i operands=0
                for ((i = 2; i < cword; i++)); do
                    # after `--` every word belongs to the app
                    [[ ${COMP_WORDS[i]} == -- ]] && { compopt -o default 2>/dev/null; return; }
                done
                case $command in

            """
        for command in CommandTable.commands {
            out += "    " + ([command.name] + command.aliases).joined(separator: "|") + ")\n"
            let valued = command.options.filter { $0.value != nil }
            if !valued.isEmpty {
                out += "        case $prev in\n"
                // Options whose value completes the same way share one branch.
                var groups: [(completion: OptionSpec.Completion, names: [String])] = []
                for option in valued {
                    let names = ["--" + option.long] + (option.short.map { ["-\($0)"] } ?? [])
                    if let index = groups.firstIndex(where: { $0.completion == option.completion }) {
                        groups[index].names += names
                    } else {
                        groups.append((option.completion, names))
                    }
                }
                for group in groups {
                    out += "        \(group.names.joined(separator: "|"))) \(bashValue(group.completion))return ;;\n"
                }
                out += "        esac\n"
            }
            let flags = command.options.flatMap { ["--" + $0.long] + ($0.short.map { ["-\($0)"] } ?? []) } + ["--help"]
            out += "        if [[ $cur == -* ]]; then\n"
            out += "            COMPREPLY=($(compgen -W \"\(flags.joined(separator: " "))\" -- \"$cur\"))\n"
            out += "            return\n"
            out += "        fi\n"
            out += bashOperands(command, valueOptions: valued)
            out += "        ;;\n"
        }
        out += """
                esac
            }

            complete -F _procctl procctl

            """
        return out
    }

    /// The shell words that complete an option's value, ending in `;` (none for a free value).
    private static func bashValue(_ completion: OptionSpec.Completion) -> String {
        switch completion {
        case .file: "compopt -o filenames 2>/dev/null; COMPREPLY=($(compgen -f -- \"$cur\")); "
        case .directory: "compopt -o filenames 2>/dev/null; COMPREPLY=($(compgen -d -- \"$cur\")); "
        case .signal: "COMPREPLY=($(compgen -W \"\(signalNames.joined(separator: " "))\" -- \"$cur\")); "
        case .number, .none: ""
        }
    }

    private static func bashOperands(_ command: CommandSpec, valueOptions: [OptionSpec]) -> String {
        switch command.operand {
        case .none:
            return ""
        case .targets, .optionalTarget, .app, .process:
            return "        _procctl_targets\n"
        case .script:
            return "        compopt -o filenames 2>/dev/null; COMPREPLY=($(compgen -f -- \"$cur\"))\n"
        case .command:
            return "        ((cword == 2)) && COMPREPLY=($(compgen -W \"\(commandNames.joined(separator: " "))\" -- \"$cur\"))\n"
        case .signalAndTargets:
            // The first operand is the signal; count operands, skipping option values.
            let skip = valueOptions.flatMap { ["--" + $0.long] + ($0.short.map { ["-\($0)"] } ?? []) }
            var out = "        for ((i = 2; i < cword; i++)); do\n"
            if !skip.isEmpty {
                out += "            case ${COMP_WORDS[i]} in \(skip.joined(separator: "|"))) ((i++)); continue ;; esac\n"
            }
            out += "            [[ ${COMP_WORDS[i]} != -* ]] && ((++operands))\n"
            out += "        done\n"
            out += "        if ((operands == 0)); then \(bashValue(.signal))else _procctl_targets; fi\n"
            return out
        }
    }
}
