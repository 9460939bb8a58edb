/// The fixed prose of `procctl.1`, as mdoc source. Everything about commands and options
/// comes from the command table instead; keep this to what the table cannot say.
extension ManPage {
    static let synopsis = """
        .Sh SYNOPSIS
        .Nm
        .Ar command
        .Op Ar options
        .Op Ar operand ...
        .Op Fl \\- Ar args ...
        .Nm
        .Cm help
        .Op Ar command
        .Nm
        .Fl \\-version

        """

    static let description = """
        .Nm
        controls
        .Xr procd 8 ,
        a daemon that starts programs written in any language
        (binaries, shell scripts, Python, Node.js, Ruby),
        keeps them running, restarts them by policy and captures their output
        in log files.
        .Pp
        .Nm
        talks to the daemon over the Unix socket
        .Pa $PROCD_HOME/procd.sock .
        When no daemon answers, commands that need one start
        .Nm procd
        first: it is looked up next to the
        .Nm
        executable, then on
        .Ev PATH ,
        and runs detached in a session of its own.
        .Cm kill
        and
        .Cm version
        never start a daemon.
        .Pp
        Results and tables go to standard output; errors go to standard error as
        .Dq procctl: error: message ,
        saying what to do next.
        Bulk commands print one line per process and exit 1 when any of them failed.
        Output is coloured only on a terminal.
        .Pp
        An app is a named definition: command, working directory, environment, number of
        instances and policies.
        A process is one running instance of an app; each has a numeric id, never reused
        while the daemon runs, and an instance index from 0 within its app.
        A process is
        .Cm launching ,
        .Cm online ,
        .Cm stopping ,
        .Cm stopped ,
        .Cm waiting
        (for a restart delay) or
        .Cm errored
        (after too many unstable restarts in a row).
        .Pp
        A program that forks into the background (nginx and redis-server do by
        default) is noticed: when the first process exits 0 right after its start
        while a descendant it left runs on, the app ends
        .Cm errored
        with a reason naming the option that keeps the program in the foreground
        (for example
        .Ql nginx -g 'daemon off;'
        or
        .Ql redis-server --daemonize no ) ,
        and procd stops what it left behind.
        Descendants that leave the process group
        .Pq Xr setsid 2 , a double fork
        are still the app's: stop, delete and kill signal them too, and
        .Cm describe
        lists them.

        """

    static let targets = """
        Commands that act on processes take one or more targets:
        .Bl -tag -width Ds
        .It Ar id
        the process with that numeric id;
        .It Ar name
        every instance of the app of that name;
        .It Ar namespace
        every process of every app in that namespace (names are matched first);
        .It Cm all
        every process.
        .El
        .Pp
        An unknown target is an error (exit status 1), with a suggestion when a
        name is close.
        .Pp
        Before the command,
        .Fl \\-host Oo Ar user Ns @ Oc Ns Ar host Ns Op : Ns Ar port
        runs it against the procd of that host through
        .Xr ssh 1 ,
        whose remote side is
        .Nm Cm bridge :
        no new port, agent or protocol, only the user's keys.
        Config files are read here and their apps sent over.
        Errors name the host.
        Given more than once (or in
        .Ev PROCD_HOST ) ,
        .Cm list
        shows one table with a host column (with
        .Fl \\-json ,
        a
        .Ar host
        field) and actions run on one host at a time, stopping at the first
        failure
        .Pq a rolling restart ;
        .Fl \\-parallel Ar n
        runs on n hosts at once and
        .Fl \\-keep-going
        goes on after a failure, to every host, and exits 1 at the end if any failed.
        .Fl \\-connect-timeout Ar seconds
        (default 10) bounds every wait on a host: ssh gets
        .Cm ConnectTimeout ,
        which also covers a server that accepts but does not answer, and
        .Cm ServerAliveInterval
        of that many seconds with
        .Cm ServerAliveCountMax
        3, so a host that stops answering ends the command with an error naming it.
        Options given in
        .Ev PROCD_SSH
        come first and win.
        .Cm logs Fl f ,
        .Cm events
        and
        .Cm monit
        follow one host at a time.

        """

    static let environment = """
        .Bl -tag -width Ds
        .It Ev PROCD_HOME
        The state directory of the daemon to talk to, and of the daemon
        .Nm
        starts.
        Default:
        .Pa ~/.procd .
        The socket path inside it must fit in 107 bytes.
        When
        .Pa ~/.procd
        cannot be created (a read-only or missing
        .Ev HOME ) ,
        .Pa $XDG_RUNTIME_DIR/procd ,
        else
        .Pa /tmp/procd-UID .
        .It Ev PROCD_HOST
        Hosts to run every command on, comma-separated, as
        .Fl \\-host
        would name them.
        .It Ev PROCD_SSH
        The ssh command line for
        .Fl \\-host
        (default:
        .Ql ssh
        on
        .Ev PATH ) ;
        it is run with
        .Ql -o BatchMode=yes .
        .It Ev PROCD_REMOTE_PROCCTL
        The procctl to run on the remote host (default:
        .Ql procctl
        on its
        .Ev PATH ) .
        .It Ev NO_COLOR
        When set and not empty, output is never coloured.
        Colour is also off when standard output is not a terminal or
        .Ev TERM
        is
        .Cm dumb .
        .It Ev PATH
        Where
        .Nm procd
        is looked for when it is not next to
        .Nm ,
        and where programs named by
        .Cm start
        are looked up.
        .El

        """

    static let files = """
        .Bl -tag -width Ds
        .It Pa $PROCD_HOME
        The state directory, mode 0700; default
        .Pa ~/.procd .
        .It Pa $PROCD_HOME/procd.sock
        The control socket, mode 0600.
        .It Pa $PROCD_HOME/procd.pid
        The daemon's pid, locked while it runs.
        .It Pa $PROCD_HOME/procd.log
        The daemon's own log: starts, exits, restarts, give-ups and errors,
        with reasons.
        .It Pa $PROCD_HOME/state.json
        The live app table, rewritten atomically on every change.
        .It Pa $PROCD_HOME/dump.json
        Written by
        .Cm save ,
        read by
        .Cm resurrect .
        .It Pa $PROCD_HOME/logs/NAME-out.log , Pa $PROCD_HOME/logs/NAME-err.log
        Standard output and standard error of an app, all instances merged line by line;
        with
        .Fl \\-no-merge-logs ,
        .Pa NAME-out-N.log
        per instance.
        .It Pa $PROCD_HOME/web.token
        The web dashboard's login token, mode 0600, made by
        .Cm web ;
        delete it and run
        .Cm web
        again for a new one.
        .It Pa $PROCD_HOME/web.listen
        Where
        .Cm web
        put the dashboard, for the daemon's next start.
        .El

        """

    static let exitStatus = """
        .Bl -tag -width Ds
        .It 0
        The command did what was asked.
        .It 1
        The operation failed: an unknown target, an app that ended errored,
        a daemon that could not be reached or started.
        .It 2
        Usage error: an unknown command or option, a missing or malformed value.
        .El

        """

    static let examples = """
        Serve the current directory with Python, then look at it:
        .Bd -literal -offset indent
        $ procctl start "python3 -m http.server 8000" --name web
        $ procctl list
        $ procctl logs web --lines 20
        $ procctl describe web
        .Ed
        .Pp
        Run four instances of a script, restarting with exponential backoff, and
        stop it with SIGINT:
        .Bd -literal -offset indent
        $ procctl start worker.py -i 4 --exp-backoff-restart-delay 100 \\e
            --kill-signal SIGINT
        .Ed
        .Pp
        Pass arguments to the program after
        .Fl \\- :
        .Bd -literal -offset indent
        $ procctl start ./server.sh --name api -- --port 9000
        .Ed
        .Pp
        Restart every process, stop one by id, send SIGUSR2 to an app:
        .Bd -literal -offset indent
        $ procctl restart all
        $ procctl stop 3
        $ procctl signal SIGUSR2 api
        .Ed
        .Pp
        Use a separate daemon for a project, and stop it with everything it runs:
        .Bd -literal -offset indent
        $ export PROCD_HOME=/tmp/myproject-procd
        $ procctl start ./run.sh
        $ procctl kill
        .Ed

        """
}
