import ProcctlKit
import ProcdDaemon
import ProcdPlatform

// The packages ship one binary: procctl is a link to procd (the client is in procd
// already, and one binary halves the package at the same start time; README › Install).
// The name it was run by decides which program it is.
if let name = CommandLine.arguments.first, name == "procctl" || name.hasSuffix("/procctl") {
    Procctl.run(CommandLine.arguments)
}

// `procd run` reads its command line as `procctl start` does; everything else is the daemon's.
if CommandLine.arguments.count > 1 && CommandLine.arguments[1] == "run" {
    do {
        let plan = try RunCommand.plan(Array(CommandLine.arguments.dropFirst(2)))
        Processes.exit(DaemonMain.runContainer(startArguments: plan.startArguments, raw: plan.raw, json: plan.json,
                                               autoExit: plan.autoExit, logFiles: plan.logFiles, home: plan.home))
    } catch is RunCommand.HelpRequested {
        Environment.write("usage: procd " + RunCommand.usage.dropFirst("usage: procctl ".count), to: Environment.standardOutput)
        Processes.exit(0)
    } catch let failure as CommandFailure {
        Environment.write("procd: error: \(failure.message)\n", to: Environment.standardError)
        Processes.exit(failure.exitCode)
    } catch {
        Environment.write("procd: error: \(error)\n", to: Environment.standardError)
        Processes.exit(1)
    }
}
DaemonMain.run(CommandLine.arguments)
