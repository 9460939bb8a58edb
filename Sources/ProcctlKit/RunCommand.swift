import ProcdCore
import ProcdPlatform
import ProcdWire

/// The command line of `procd run`, read with procctl's own parser and config loading so
/// that it takes exactly what `procctl start` takes; the daemon then serves the start.
public struct RunCommand {
    /// What `procd run` does, once its command line is read.
    public struct Plan: Sendable {
        public var startArguments: JSON
        public var raw: Bool
        public var json: Bool
        public var autoExit: Bool
        public var logFiles: Bool
        public var home: String?
    }

    static let spec = CommandSpec(
        name: "run", usage: "run <config-file|command> [start options] [--no-auto-exit] [--raw|--json] [--no-log-files]",
        summary: "run procd in the foreground as a container's main process: start the apps, print their output, exit when they are done",
        options: [
            OptionSpec("no-auto-exit", help: "keep running when every app has ended"),
            OptionSpec("raw", help: "app output without NAME| prefixes"),
            OptionSpec("json", help: "app output as one JSON object a line: app, id, stream, time, line"),
            OptionSpec("no-log-files", help: "do not write log files (the console has the output)"),
            OptionSpec("home", value: "DIR", help: "state directory (default: $PROCD_HOME, else ~/.procd)", completion: .directory),
        ] + CommandTable.startOptions.filter { !["json", "dry-run", "force"].contains($0.long) },
        operand: .script)

    public static var usage: String { Help.text(for: spec) }

    /// Reads `procd run`'s arguments (those after `run`); a usage or configuration error
    /// is thrown with the message to print.
    public static func plan(_ arguments: [String]) throws -> Plan {
        let parsed: ParsedArguments
        do {
            parsed = try ParsedArguments.parse(arguments, for: spec)
        } catch {
            throw CommandFailure(error.message + " (see 'procd run --help')", exitCode: 2)
        }
        if parsed.wantsHelp { throw HelpRequested() }
        if parsed.has("raw") && parsed.has("json") { throw CommandFailure("--raw and --json exclude each other", exitCode: 2) }
        let cwd = File.currentDirectory() ?? "/"
        guard let target = parsed.operands.first ?? ConfigLoader.findDefault(in: cwd) else {
            throw ConfigLoader.nothingToStart("procd run", in: cwd)
        }
        if parsed.operands.isEmpty { Console.detect().err("procd: running \(target)\n") }
        let console = Console.detect()
        let specs: [AppSpec]
        if ConfigLoader.isConfig(target) {
            let configs = ConfigCommands(console: console, cwd: cwd, connect: { () throws(CommandFailure) in
                throw CommandFailure("procd run does not connect to a daemon")
            })
            specs = try configs.resolvedSpecs(target, parsed)
        } else {
            var resolver = AppResolver(baseDirectory: cwd, environment: Environment.all(), lenient: false)
            specs = [try resolver.resolve(try StartCommand(arguments: parsed, cwd: cwd).draft())]
            for warning in resolver.warnings { console.warning(warning) }
        }
        return Plan(startArguments: .object(StartBatch.arguments(specs.map(\.json), force: false)),
                    raw: parsed.has("raw"), json: parsed.has("json"), autoExit: !parsed.has("no-auto-exit"),
                    logFiles: !parsed.has("no-log-files"), home: parsed.value("home"))
    }

    /// `--help` was asked for.
    public struct HelpRequested: Error {}
}
