// procbench: procd side by side with a bare spawn-and-wait floor and supervisord.
// See Options.usage; `floor-daemon` is a hidden mode (the floor itself).
import ProcdPlatform

let arguments = Array(CommandLine.arguments.dropFirst())
if arguments.first == "floor-daemon" { FloorDaemon.run() }
// Parsers only: no binary to find.
if arguments.first == "parse" {
    do {
        Processes.exit(try ParseBench.run(Array(arguments.dropFirst())))
    } catch {
        Environment.write("procbench: error: \(error)\n", to: 2)
        Processes.exit(1)
    }
}
/// Modes with their own options: `procbench MODE [options]`.
let modes: [String: ([String], Binaries) throws -> Int32] = [
    "soak": Soak.run, "boot": Boot.run, "files": LargeFile.run, "stacks": StackBench.run, "cluster": { try ClusterBench($0, binaries: $1).run() },
]
if let mode = arguments.first.flatMap({ modes[$0] }) {
    do {
        Processes.exit(try mode(Array(arguments.dropFirst()), try Binaries.locate()))
    } catch {
        Environment.write("procbench: error: \(error)\n", to: 2)
        Processes.exit(1)
    }
}

switch Options.parse(arguments) {
case .success(let options):
    do {
        let binaries = try Binaries.locate()
        Processes.exit(Benchmark(options: options, binaries: binaries).run())
    } catch {
        Environment.write("procbench: error: \(error)\n", to: 2)
        Processes.exit(1)
    }
case .failure(let usage):
    if let message = usage.message {
        Environment.write("procbench: error: \(message)\n" + Options.usage, to: 2)
        Processes.exit(2)
    }
    Environment.write(Options.usage, to: 1)
    Processes.exit(0)
}
