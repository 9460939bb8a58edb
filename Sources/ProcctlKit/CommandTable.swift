import ProcdCore

/// One option of a command: drives parsing, `--help`, the man page and completions.
public struct OptionSpec: Sendable {
    public enum Completion: Sendable { case none, file, directory, signal, number }

    public var long: String
    public var short: Character?
    /// The value's name in help (`N`, `NAME`); nil for a flag.
    public var value: String?
    public var help: String
    public var repeatable = false
    public var completion: Completion = .none
    /// The value may be left out (`--watch` alone); a following word that is not an
    /// option is taken as the value.
    public var optionalValue = false

    public init(_ long: String, short: Character? = nil, value: String? = nil, help: String,
                repeatable: Bool = false, completion: Completion = .none, optionalValue: Bool = false) {
        self.long = long
        self.short = short
        self.value = value
        self.help = help
        self.repeatable = repeatable
        self.completion = completion
        self.optionalValue = optionalValue
    }
}

extension OptionSpec {
    /// The option of an app attribute.
    init(_ flag: CommandLineFlag) {
        let completion: Completion = switch flag.completion {
        case .none: .none
        case .file: .file
        case .directory: .directory
        case .signal: .signal
        case .number: .number
        }
        self.init(flag.long, short: flag.short, value: flag.valueName, help: flag.help, repeatable: flag.repeatable,
                  completion: completion, optionalValue: flag.optionalValue)
    }
}

/// A `procctl` command: names, usage, summary and options.
public struct CommandSpec: Sendable {
    public enum Operand: Sendable { case none, targets, optionalTarget, app, process, script, signalAndTargets, command }

    public var name: String
    public var aliases: [String] = []
    public var usage: String
    public var summary: String
    public var options: [OptionSpec] = []
    public var operand: Operand = .none

    public func option(named long: String) -> OptionSpec? { options.first { $0.long == long } }
    public func option(short: Character) -> OptionSpec? { options.first { $0.short == short } }
}

/// Every command procctl knows, in the order `help` lists them.
public enum CommandTable {
    /// `start`'s options: those of the app's attributes (see `AppAttributes`), then those
    /// of the command.
    static let startOptions: [OptionSpec] = (AppAttributes.draft.compactMap(\.flag) + AppAttributes.all.compactMap(\.flag)).map(OptionSpec.init)
        + [
            OptionSpec("force", short: "f", help: "replace an app of the same name that is running"),
            OptionSpec("only", value: "APPS", help: "with a config file: only these apps (comma-separated), with what they depend on", repeatable: true),
            OptionSpec("no-deps", help: "with --only: not the apps they depend on"),
            OptionSpec("lenient", help: "with a config file: a misspelt attribute is a warning, not an error"),
            OptionSpec("dry-run", help: "print the resolved apps and start nothing"),
            OptionSpec("json", help: "with --dry-run: print the apps as JSON"),
        ]

    static let json = OptionSpec("json", help: "print JSON")

    /// Options before the command (`GlobalOptions` parses them; completions offer them).
    public static let globalOptions: [OptionSpec] = [
        OptionSpec("host", short: "H", value: "[USER@]HOST[:PORT]", help: "run the command on that host through ssh (repeatable)", repeatable: true),
        OptionSpec("parallel", value: "N", help: "with several hosts: run on N at once", completion: .number),
        OptionSpec("keep-going", help: "with several hosts: go on after a host fails; exit 1 at the end"),
        OptionSpec("connect-timeout", value: "SECONDS", help: "give up on a host that does not answer within SECONDS (default 10)",
                   completion: .number),
    ]

    /// Every command, in the order `help` lists them.
    public static let commands: [CommandSpec] = CommandName.allCases.map(\.spec)

    public static func find(_ name: String) -> CommandSpec? {
        commands.first { $0.name == name || $0.aliases.contains(name) }
    }

    /// The command a name or alias means.
    public static func command(named name: String) -> CommandName? {
        CommandName(rawValue: name) ?? CommandName.allCases.first { $0.spec.aliases.contains(name) }
    }
}

extension CommandName {
    /// The command's usage, summary and options: one case a command, so none is missing.
    public var spec: CommandSpec {
        switch self {
        case .start:
            CommandSpec(name: rawValue, usage: "start <script|command|config-file> [options] [-- args...]",
                        summary: "start a script, a command line, or every app of an ecosystem file or Procfile, and keep them running", options: CommandTable.startOptions, operand: .script)
        case .stop:
            CommandSpec(name: rawValue, usage: "stop <target...>", summary: "stop processes (the whole process tree)", operand: .targets)
        case .restart:
            CommandSpec(name: rawValue, usage: "restart <target|config-file...> [--update-env] [--env KEY=VALUE|NAME]",
                        summary: "restart processes (starts stopped or errored ones)",
                        options: [
                            OptionSpec("update-env", help: "apply this shell's environment (or the config file's env) to the app"),
                            OptionSpec("env", value: "KEY=VALUE|NAME", help: "set a variable before restarting; a NAME selects a config's env_NAME", repeatable: true),
                            OptionSpec("only", value: "APPS", help: "with a config file: only these apps", repeatable: true),
                            OptionSpec("lenient", help: "with a config file: a misspelt attribute is a warning"),
                        ], operand: .targets)
        case .reload:
            CommandSpec(name: rawValue, usage: "reload <target|config-file...>",
                        summary: "replace processes one at a time, each new one online before the old one stops", operand: .targets)
        case .startOrRestart:
            CommandSpec(name: rawValue, usage: "startOrRestart <config-file> [options]",
                        summary: "start the file's apps that are not running, restart the others", options: CommandTable.startOptions, operand: .script)
        case .startOrReload:
            CommandSpec(name: rawValue, aliases: ["startOrGracefulReload"], usage: "startOrReload <config-file> [options]",
                        summary: "start the file's apps that are not running, reload the others", options: CommandTable.startOptions, operand: .script)
        case .scale:
            CommandSpec(name: rawValue, usage: "scale <app> <N|+N|-N>", summary: "set the number of instances of an app", operand: .app)
        case .send:
            CommandSpec(name: rawValue, usage: "send <target...> <json>",
                        summary: "send a JSON message to Node processes (process.on('message'))", operand: .targets)
        case .delete:
            CommandSpec(name: rawValue, aliases: ["del"], usage: "delete <target...>", summary: "stop processes and remove their apps", operand: .targets)
        case .list:
            CommandSpec(name: rawValue, aliases: ["ls", "status"], usage: "list [--json] [--sort FIELD]", summary: "show every process",
                        options: [CommandTable.json, OptionSpec("sort", value: "FIELD", help: "sort by name, id, cpu, memory, uptime or restarts")])
        case .jlist:
            CommandSpec(name: rawValue, usage: "jlist", summary: "every process as JSON (same as list --json)")
        case .prettylist:
            CommandSpec(name: rawValue, usage: "prettylist", summary: "every process as indented JSON")
        case .describe:
            CommandSpec(name: rawValue, aliases: ["show"], usage: "describe <target> [--json]", summary: "everything about a process",
                        options: [CommandTable.json], operand: .targets)
        case .logs:
            CommandSpec(name: rawValue, usage: "logs [target...] [--lines N] [-f] [--out|--err] [--raw] [--json] [--timestamp]",
                        summary: "print the last lines of logs, and follow new ones with -f (no target: every app and the daemon)",
                        options: [
                            OptionSpec("lines", value: "N", help: "how many lines per file (default 15)", completion: .number),
                            OptionSpec("follow", short: "f", help: "keep printing new lines, across restarts, rotations and daemon restarts, until interrupted"),
                            OptionSpec("json", help: "one JSON object per line: id, name, stream, time, line"),
                            OptionSpec("out", help: "only standard output"),
                            OptionSpec("err", help: "only standard error"),
                            OptionSpec("raw", help: "no ID|NAME| prefix"),
                            OptionSpec("timestamp", value: "FORMAT", help: "prefix each line with the time procd received it (ISO-8601 UTC, or FORMAT such as 'HH:mm:ss')", optionalValue: true),
                        ], operand: .optionalTarget)
        case .events:
            CommandSpec(name: rawValue, usage: "events [target...] [--json]",
                        summary: "print lifecycle events (start, exit, errored...) as they happen, across daemon restarts",
                        options: [OptionSpec("json", help: "one JSON object a line: time, event, app, id, pid, details")],
                        operand: .optionalTarget)
        case .metrics:
            CommandSpec(name: rawValue, usage: "metrics", summary: "print process and daemon metrics in Prometheus text format")
        case .web:
            CommandSpec(name: rawValue, usage: "web [--listen [HOST:]PORT] [--print-url] [--open] [--off]",
                        summary: "serve the web dashboard and print its address with a login token",
                        options: [
                            OptionSpec("listen", value: "[HOST:]PORT", help: "where to listen (default: where it listens now, else 127.0.0.1:9615); remembered across restarts"),
                            OptionSpec("print-url", help: "print only the address, for scripts"),
                            OptionSpec("open", help: "open the address in this desktop's browser ($BROWSER or xdg-open)"),
                            OptionSpec("off", help: "stop serving it (unless PROCD_HTTP or procd --http asks for the listener)"),
                        ])
        case .flush:
            CommandSpec(name: rawValue, usage: "flush [target...]", summary: "empty log files (no target: every app's)", operand: .optionalTarget)
        case .reloadLogs:
            CommandSpec(name: rawValue, aliases: ["reloadLogs"], usage: "reload-logs",
                        summary: "reopen every log file (after an external logrotate moved them)")
        case .reset:
            CommandSpec(name: rawValue, usage: "reset <target...>", summary: "set restart counters to zero", operand: .targets)
        case .signal:
            CommandSpec(name: rawValue, aliases: ["sendSignal"], usage: "signal <SIGNAL> <target...>", summary: "send a signal to each process", operand: .signalAndTargets)
        case .env:
            CommandSpec(name: rawValue, usage: "env <id|app>", summary: "print a process's environment (an app name if it has one process)", operand: .process)
        case .export:
            CommandSpec(name: rawValue, usage: "export <systemd|compose|kubernetes|ecosystem> [target|config-file...] [-o DIR|FILE] [--format json|yaml|js]",
                        summary: "write the apps as systemd units, a compose.yaml, Kubernetes manifests or a pm2 ecosystem file (no target: every app)",
                        options: [
                            OptionSpec("output", short: "o", value: "PATH", help: "write the files into the directory PATH; for ecosystem, the file PATH (default: print them)", completion: .file),
                            OptionSpec("format", value: "json|yaml|js", help: "the ecosystem file's format (default: from the -o file's name, else json)"),
                            OptionSpec("only", value: "APPS", help: "with a config file: only these apps", repeatable: true),
                            OptionSpec("env", value: "NAME", help: "with a config file: apply its env_NAME block", repeatable: true),
                            OptionSpec("lenient", help: "with a config file: a misspelt attribute is a warning"),
                        ], operand: .targets)
        case .graph:
            CommandSpec(name: rawValue, usage: "graph [config-file|target...] [--format text|mermaid|dot|json]",
                        summary: "show the apps' dependencies (depends_on): start order, and what each waits for",
                        options: [
                            OptionSpec("format", value: "FORMAT", help: "text (the default), mermaid, dot or json"),
                            OptionSpec("only", value: "APPS", help: "with a config file: only these apps, with what they depend on", repeatable: true),
                            OptionSpec("no-deps", help: "with --only: not the apps they depend on"),
                            OptionSpec("lenient", help: "with a config file: a misspelt attribute is a warning"),
                        ],
                        operand: .targets)
        case .save:
            CommandSpec(name: rawValue, usage: "save", summary: "write the app table to dump.json, for resurrect and boot start")
        case .resurrect:
            CommandSpec(name: rawValue, usage: "resurrect", summary: "start the apps saved in dump.json that are not running")
        case .startup:
            CommandSpec(name: rawValue, usage: "startup [--user] [--print]", summary: "install a systemd unit that starts procd at boot",
                        options: [
                            OptionSpec("user", help: "a user unit (~/.config/systemd/user) instead of a system unit"),
                            OptionSpec("print", help: "print the unit instead of writing it"),
                        ])
        case .unstartup:
            CommandSpec(name: rawValue, usage: "unstartup [--user]", summary: "remove the systemd unit written by startup",
                        options: [OptionSpec("user", help: "remove the user unit")])
        case .update:
            CommandSpec(name: rawValue, usage: "update", summary: "replace the running daemon with the procd binary on disk, keeping every process")
        case .monit:
            CommandSpec(name: rawValue, usage: "monit", summary: "full-screen live dashboard: CPU and memory over the last minute, details and log of the selected process")
        case .ping:
            CommandSpec(name: rawValue, usage: "ping", summary: "check that the daemon answers (starting it if needed)")
        case .kill:
            CommandSpec(name: rawValue, usage: "kill", summary: "stop every app, then the daemon (the table is forgotten)")
        case .version:
            CommandSpec(name: rawValue, usage: "version", summary: "print the client and daemon versions, with their commits")
        case .bridge:
            CommandSpec(name: rawValue, usage: "bridge",
                        summary: "connect standard input and output to this machine's procd (what --host runs over ssh)")
        case .help:
            CommandSpec(name: rawValue, usage: "help [command]", summary: "show help for procctl or a command", operand: .command)
        }
    }
}
