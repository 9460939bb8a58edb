import ProcdDaemon

DaemonMain.run(CommandLine.arguments)
