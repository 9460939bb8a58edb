import ProcdCore
import ProcdPlatform
import ProcdWire

/// The `procd` command line: `procd [--foreground] [--home DIR]`.
public enum DaemonMain {
    static let usage = """
        usage: procd [--foreground] [--home DIR] [--resurrect] [--http [HOST:]PORT]
                     [--log-max-size SIZE] [--log-retain N]
               procd run <config-file|command> [start options] [--no-auto-exit]
                     [--raw|--json] [--no-log-files]   (see 'procd run --help')

        The procd daemon: owns the table of apps and their processes; procctl talks to
        it. procctl starts it on first use, so running it by hand is only needed for
        init systems. 'procd run' runs it as a container's main process: it starts the
        apps, prints their output, and exits when they are done.

          --foreground   stay attached to the terminal (for init systems and tests)
          --home DIR     state directory (default: $PROCD_HOME, else ~/.procd)
          --log-max-size SIZE
                         rotate app logs at SIZE (e.g. 10M) unless an app says otherwise
                         (default: $PROCD_LOG_MAX_SIZE, else no rotation)
          --log-retain N rotated files kept per log (default: $PROCD_LOG_RETAIN, else 5)
          --http [HOST:]PORT
                         serve GET /metrics over HTTP (default: $PROCD_HTTP, else
                         off); loopback unless HOST says otherwise, and then every
                         request needs the token in web.token (see procd(8))
          --resurrect    when the table is empty after start, start what dump.json holds
                         (what 'procctl startup' units use at boot)
          --version      print the version and the commit it was built from
          -h, --help     show this help

        See procd(8).

        """

    public static func main(_ arguments: [String]) -> Int32 {
        let invocation: Invocation
        switch Invocation.parse(arguments) {
        case .success(let parsed): invocation = parsed
        case .failure(let exit): return exit.code
        }
        let (home, note) = Environment.procdHome(explicit: invocation.homePath)
        if let note { Environment.write("procd: note: \(note)\n", to: Environment.standardError) }
        if !invocation.foreground { return detach(home: home) }
        let settings = invocation.settings
        if let handoff = invocation.handoff { return runAdopting(home: home, settings: settings, handoff: handoff) }
        if Keeper.wanted {
            var keeper = Keeper(arguments: arguments, home: home, echo: Environment.get(EnvironmentName.readyFD) == nil) {
                runForeground(home: home, settings: settings, resurrect: invocation.resurrect)
            }
            return keeper.run()
        }
        return runForeground(home: home, settings: settings, resurrect: invocation.resurrect)
    }

    static func fail(_ message: String, code: Int32) -> Int32 {
        Environment.write("procd: fatal: \(message)\n", to: Environment.standardError)
        return code
    }

    /// Starts `procd --foreground` in a session of its own and waits until it is ready.
    static func detach(home: ProcdHome) -> Int32 {
        switch DaemonLauncher.launch(executable: Environment.executablePath ?? "procd", home: home) {
        case .success(let pid):
            Environment.write("procd: started (pid \(pid)), home \(home.root)\n", to: Environment.standardOutput)
            return 0
        case .failure(let error):
            return fail(error.message, code: 1)
        }
    }

    static func runForeground(home: ProcdHome, settings: DaemonSettings, resurrect: Bool,
                              container: ContainerMode.Options? = nil) -> Int32 {
        Environment.ensureStandardDescriptors()
        let ready = Environment.get(EnvironmentName.readyFD).flatMap(Int32.init).map { OwnedFD(adopting: $0) }
        func report(_ answer: ReadyReport) {
            guard let ready else { return }
            _ = try? ready.writeAll(answer.line)
            ready.close()
        }
        func refuse(_ message: String) -> Int32 {
            report(.failed(message))
            return fail(message, code: 1)
        }
        let lock: OwnedFD, lastRunEnded: Bool
        switch claim(home) {
        case .success(let claimed): (lock, lastRunEnded) = claimed
        case .failure(let refusal): return refuse(refusal.message)
        }
        let log = DaemonLog(path: home.daemonLog, echo: ready == nil)
        // Under a keeper: take back what it held for a daemon that crashed (nothing at a
        // first start), the control and notify sockets first, so clients and apps that
        // wrote to them meanwhile are heard.
        let keeper = container == nil ? KeeperLink.inherited() : nil
        var inheritance = keeper?.greet() ?? KeeperLink.Inheritance()
        let daemon: Daemon
        do {
            var endpoints: Daemon.Endpoints
            if let control = inheritance.held.removeValue(forKey: "control"), let notify = inheritance.held.removeValue(forKey: "notify"),
               let address = notify.meta["address"]?.stringValue {
                endpoints = Daemon.Endpoints(listener: OwnedFD(adopting: control.fd.release()),
                                             notifySocket: OwnedFD(adopting: notify.fd.release()), notifyAddress: address)
            } else {
                endpoints = try .fresh(home)
            }
            daemon = try Daemon(home: home, log: log, lock: lock, settings: settings, endpoints: endpoints, keeper: keeper)
        } catch {
            log.error("unable to start: \(error)")
            return refuse("unable to start: \(error)")
        }
        log.info("procd \(ProcdVersion.current) started (pid \(Processes.currentPid)), home \(home.root)")
        if let container {
            return runContainer(daemon, container)
        }
        if inheritance.isEmpty {
            daemon.restoreState(lastRunEnded: lastRunEnded)
        } else {
            daemon.recover(inheritance)
        }
        if resurrect && daemon.table.isEmpty && File.exists(home.dumpFile) {
            if case .failure(let error) = daemon.resurrect() { log.error("resurrect: \(error.message)") }
        }
        report(.ready(pid: Processes.currentPid))
        if ready != nil { Environment.detachStandardDescriptors() }
        return daemon.run()
    }

    struct Refusal: Error {
        var message: String
    }

    /// Makes the home (mode 0700) and takes its lock, writing this pid into procd.pid;
    /// whether the last daemon ended cleanly (it removes procd.pid when it does: one left
    /// there means it died, and may have left processes to look for).
    static func claim(_ home: ProcdHome) -> Result<(lock: OwnedFD, lastRunEnded: Bool), Refusal> {
        if home.socket.utf8.count > UnixSocket.maxPathLength {
            return .failure(Refusal(message: "socket path \(home.socket) is longer than \(UnixSocket.maxPathLength) bytes; choose a shorter PROCD_HOME"))
        }
        File.setCreationMask(0o077)
        do {
            try File.makeDirectory(home.root, mode: 0o700)
            try File.setMode(home.root, 0o700)
            try File.makeDirectory(home.logs, mode: 0o700)
        } catch {
            return .failure(Refusal(message: "unable to create \(home.root): \(error.reason)"))
        }
        let lastRunEnded = !File.exists(home.pidFile)
        do {
            let lock = try File.open(home.pidFile, flags: File.readWriteCreate, mode: 0o600)
            guard try File.tryLock(lock) else {
                let other = (try? File.read(home.pidFile)).map { String(decoding: $0, as: UTF8.self) }?
                    .split(separator: "\n").first.map(String.init) ?? "?"
                return .failure(Refusal(message: "another procd is running on \(home.root) (pid \(other))"))
            }
            try File.truncate(home.pidFile)
            try lock.writeAll("\(Processes.currentPid)\n")
            return .success((lock, lastRunEnded))
        } catch {
            return .failure(Refusal(message: "unable to lock \(home.pidFile): \(error.reason)"))
        }
    }
}

extension DaemonMain {
    /// Runs the command line and exits with its code.
    public static func run(_ arguments: [String]) -> Never {
        Processes.exit(main(arguments))
    }
}

extension DaemonMain {
    /// The new image after `procctl update`: adopt the old image's descriptors and table.
    static func runAdopting(home: ProcdHome, settings: DaemonSettings, handoff: String) -> Int32 {
        Environment.ensureStandardDescriptors()
        File.setCreationMask(0o077)
        let log = DaemonLog(path: home.daemonLog, echo: false)
        guard let bytes = try? File.read(handoff), let document = try? JSONParser.parse(bytes: bytes),
              let adopted = Daemon.adoptEndpoints(document) else {
            log.error("unable to read the hand-over file \(handoff); exiting")
            return fail("unable to read the hand-over file \(handoff)", code: 1)
        }
        try? File.remove(handoff)
        let daemon: Daemon
        do {
            daemon = try Daemon(home: home, log: log, lock: adopted.lock, settings: settings, endpoints: adopted.endpoints,
                                keeper: KeeperLink.inherited())
        } catch {
            log.error("unable to start after update: \(error)")
            return fail("unable to start after update: \(error)", code: 1)
        }
        daemon.adopt(document)
        return daemon.run()
    }
}

extension DaemonMain {
    /// `procd run`: the daemon in the foreground of a container, its command line's apps
    /// started at once, their output on its own stdout and stderr; it exits when they are
    /// done. A table left by an earlier run is not restored: this run's command line is
    /// the table.
    static func runContainer(_ daemon: Daemon, _ options: ContainerMode.Options) -> Int32 {
        try? File.remove(daemon.startup.home.stateFile)
        let console = ConsoleSink(format: options.format, loop: daemon.loop)
        daemon.mode.supervision = .container(ContainerMode(options: options, console: console))
        let errors = daemon.startInitial(options.startArguments)
        for error in errors { daemon.log.error("cannot start \(error)") }
        if !errors.isEmpty && daemon.table.isEmpty {
            console.finish()
            return fail("nothing could be started", code: 1)
        }
        let code = daemon.run()
        console.finish()
        return code
    }

    /// Entry point of `procd run` once its command line has been turned into a start
    /// request (the `procd` executable does that with procctl's parser).
    public static func runContainer(startArguments: JSON, raw: Bool, json: Bool, autoExit: Bool, logFiles: Bool,
                                    home explicitHome: String?) -> Int32 {
        let (home, note) = Environment.procdHome(explicit: explicitHome)
        if let note { Environment.write("procd: note: \(note)\n", to: Environment.standardError) }
        var options = ContainerMode.Options(startArguments: startArguments)
        options.format = json ? .json : raw ? .raw : .prefixed
        options.autoExit = autoExit
        options.logFiles = logFiles
        var settings = DaemonSettings()
        settings.writesLogFiles = logFiles
        return runForeground(home: home, settings: settings, resurrect: false, container: options)
    }
}
