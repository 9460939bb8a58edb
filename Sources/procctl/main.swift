import ProcctlKit

Procctl.run(CommandLine.arguments)
