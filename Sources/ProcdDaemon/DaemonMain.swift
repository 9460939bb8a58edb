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
        if Keeper.wanted { return runKept(arguments: arguments, home: home, settings: settings, resurrect: invocation.resurrect) }
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
        let claim: HomeClaim
        do throws(HomeClaim.Refusal) { claim = try HomeClaim.take(home) } catch { return refuse(error.message, ready: readyPipe()) }
        return serve(home: home, settings: settings, resurrect: resurrect, claim: claim, container: container)
    }

    /// `procd --foreground` under a keeper. The home is claimed and the daemon's sockets
    /// are opened before the keeper forks the daemon: the keeper holds both from the fork
    /// on, so the daemon has nothing to send it or wait for before it serves, and a second
    /// procd on the same home is refused before any fork.
    static func runKept(arguments: [String], home: ProcdHome, settings: DaemonSettings, resurrect: Bool) -> Int32 {
        Environment.ensureStandardDescriptors()
        let claim: HomeClaim
        do throws(HomeClaim.Refusal) { claim = try HomeClaim.take(home) } catch { return refuse(error.message, ready: readyPipe()) }
        let endpoints: Daemon.Endpoints
        do {
            endpoints = try .fresh(home)
        } catch {
            DaemonLog(path: home.daemonLog, echo: false).error("unable to start: \(error)")
            return refuse("unable to start: \(error)", ready: readyPipe())
        }
        var keeper = Keeper(arguments: arguments, home: home, echo: Environment.get(EnvironmentName.readyFD) == nil,
                            claim: claim, endpoints: endpoints) {
            serve(home: home, settings: settings, resurrect: resurrect, claim: claim, endpoints: endpoints)
        }
        return keeper.run()
    }

    /// The launcher's ready pipe (`PROCD_READY_FD`), if it gave one; the caller closes it.
    static func readyPipe() -> OwnedFD? {
        Environment.get(EnvironmentName.readyFD).flatMap(Int32.init).map { OwnedFD(adopting: $0) }
    }

    /// Says on the ready pipe, if there is one (closing it), what the daemon's start came to.
    static func report(_ answer: ReadyReport, on ready: OwnedFD?) {
        guard let ready else { return }
        _ = try? ready.writeAll(answer.line)
        ready.close()
    }

    /// Says why the daemon cannot start, on the ready pipe and on stderr; returns the exit code.
    static func refuse(_ message: String, ready: OwnedFD?) -> Int32 {
        report(.failed(message), on: ready)
        return fail(message, code: 1)
    }

    /// Runs the daemon on a claimed home until it stops. `endpoints`: sockets opened
    /// before a keeper forked this daemon (the keeper holds them already).
    static func serve(home: ProcdHome, settings: DaemonSettings, resurrect: Bool, claim: HomeClaim,
                      endpoints claimed: Daemon.Endpoints? = nil, container: ContainerMode.Options? = nil) -> Int32 {
        let ready = readyPipe()
        do throws(HomeClaim.Refusal) { try claim.recordPid() } catch { return refuse(error.message, ready: ready) }
        let log = DaemonLog(path: home.daemonLog, echo: ready == nil)
        let keeper = container == nil ? KeeperLink.inherited() : nil
        // A first daemon is its keeper's fork, whose sockets the keeper holds already. One
        // the keeper started again takes back what it held for the daemon that crashed
        // (nothing after a crash at start-up), the control and notify sockets first, so
        // clients and apps that wrote to them meanwhile are heard.
        var inheritance = KeeperLink.Inheritance()
        if claimed != nil {
            keeper?.holdsSinceFork()
        } else if let keeper {
            inheritance = keeper.greet()
        }
        let daemon: Daemon
        do {
            daemon = try Daemon(home: home, log: log, lock: claim.lock, settings: settings,
                                endpoints: try claimed ?? endpoints(home, taking: &inheritance), keeper: keeper)
        } catch {
            log.error("unable to start: \(error)")
            return refuse("unable to start: \(error)", ready: ready)
        }
        log.info("procd \(ProcdVersion.current) started (pid \(Processes.currentPid)), home \(home.root)")
        if let container {
            return runContainer(daemon, container)
        }
        if inheritance.isEmpty {
            daemon.restoreState(lastRunEnded: claim.lastRunEnded)
        } else {
            daemon.recover(inheritance)
        }
        if resurrect && daemon.table.isEmpty && File.exists(home.dumpFile) {
            if case .failure(let error) = daemon.resurrect() { log.error("resurrect: \(error.message)") }
        }
        report(.ready(pid: Processes.currentPid), on: ready)
        if ready != nil { Environment.detachStandardDescriptors() }
        return daemon.run()
    }

    /// The control and notify sockets the keeper held for a daemon that crashed, else new ones.
    private static func endpoints(_ home: ProcdHome, taking inheritance: inout KeeperLink.Inheritance) throws(SystemError) -> Daemon.Endpoints {
        if let control = inheritance.held.removeValue(forKey: "control"), let notify = inheritance.held.removeValue(forKey: "notify"),
           let address = notify.meta["address"]?.stringValue {
            return Daemon.Endpoints(listener: OwnedFD(adopting: control.fd.release()),
                                    notifySocket: OwnedFD(adopting: notify.fd.release()), notifyAddress: address)
        }
        return try .fresh(home)
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
