# fish completion for procctl; generated from procctl's command table; do not edit (see README.md, Development).
# Install: copy to /usr/share/fish/vendor_completions.d/procctl.fish.

# The words typed so far without the options before the command (--host …).
function __procctl_words
    set -l words (commandline -opc)
    set -l i 2
    while test $i -le (count $words)
        switch $words[$i]
            case --host -H --parallel --connect-timeout
                set i (math $i + 2)
            case --keep-going '--host=*' '--parallel=*' '--connect-timeout=*'
                set i (math $i + 1)
            case '*'
                break
        end
    end
    printf '%s\n' $words[1]
    test $i -le (count $words); and printf '%s\n' $words[$i..-1]
    return 0
end

# True when no command has been typed yet (and no option value is awaited).
function __procctl_needs_command
    set -l words (__procctl_words)
    set -l typed (commandline -opc)
    test (count $words) -eq 1; or return 1
    contains -- $typed[-1] --host -H --parallel --connect-timeout; and return 1
    return 0
end

# True when the command typed is one of $argv.
function __procctl_using_command
    set -l words (__procctl_words)
    test (count $words) -gt 1; and contains -- $words[2] $argv
end

# How many operands follow the command (words not starting with '-').
function __procctl_operand_count
    set -l words (__procctl_words)
    set -l n 0
    for word in $words[3..-1]
        string match -q -- '-*' $word; or set n (math $n + 1)
    end
    echo $n
end

# Live app names and process ids, plus 'all'. Prints nothing more when no daemon runs.
function __procctl_targets
    procctl __complete 2>/dev/null
    echo all
end

complete -c procctl -f
complete -c procctl -n __procctl_needs_command -s h -l help -d 'show help'
complete -c procctl -n __procctl_needs_command -s v -l version -d 'print the version'
complete -c procctl -n __procctl_needs_command -s H -l host -x -d 'run the command on that host through ssh (repeatable)'
complete -c procctl -n __procctl_needs_command -l parallel -x -d 'with several hosts: run on N at once'
complete -c procctl -n __procctl_needs_command -l keep-going -d 'with several hosts: go on after a host fails; exit 1 at the end'
complete -c procctl -n __procctl_needs_command -l connect-timeout -x -d 'give up on a host that does not answer within SECONDS (default 10)'

# start
complete -c procctl -n __procctl_needs_command -a start -d 'start a script, a command line, or every app of an ecosystem file or Procfile, and keep them running'
complete -c procctl -n '__procctl_using_command start' -s h -l help -d 'show help'
complete -c procctl -n '__procctl_using_command start' -s n -l name -x -d 'app name (default: the script\'s name without extension)'
complete -c procctl -n '__procctl_using_command start' -s i -l instances -x -d 'number of processes: N, \'max\' (all CPUs) or -1 (CPUs less one)'
complete -c procctl -n '__procctl_using_command start' -l cwd -x -a '(__fish_complete_directories (commandline -ct))' -d 'working directory (default: the current one)'
complete -c procctl -n '__procctl_using_command start' -l interpreter -x -d 'run the script with PROGRAM; \'none\' runs it directly'
complete -c procctl -n '__procctl_using_command start' -l interpreter-args -x -d 'arguments for the interpreter, before the script'
complete -c procctl -n '__procctl_using_command start' -l env -x -d 'set a variable; with a config file a NAME applies its env_NAME block (repeatable)'
complete -c procctl -n '__procctl_using_command start' -l env-file -r -F -d 'read KEY=VALUE lines (dotenv format)'
complete -c procctl -n '__procctl_using_command start' -l namespace -x -d 'group apps under a namespace (default: \'default\')'
complete -c procctl -n '__procctl_using_command start' -l instance-var -x -d 'also give the instance number in variable NAME'
complete -c procctl -n '__procctl_using_command start' -l exec-mode -x -d 'cluster: a Node app\'s instances share the ports they listen on, through one socket procd holds (the default for Node with -i above 1); fork: each process on its own'
complete -c procctl -n '__procctl_using_command start' -l balance -x -d 'cluster mode: how connections reach instances: round-robin (default: procd deals each to the next), least-connections (to the one with fewest open), shared (each accepts itself)'
complete -c procctl -n '__procctl_using_command start' -s p -l port -x -d 'listen on PORT in the daemon and pass the socket to every instance (socket activation; repeatable)'
complete -c procctl -n '__procctl_using_command start' -l no-autorestart -d 'do not restart the app when it exits'
complete -c procctl -n '__procctl_using_command start' -l max-restarts -x -d 'unstable restarts in a row before errored (default 16)'
complete -c procctl -n '__procctl_using_command start' -l min-uptime -x -d 'an exit sooner than this is unstable (default 1000)'
complete -c procctl -n '__procctl_using_command start' -l restart-delay -x -d 'wait before restarting (default 0)'
complete -c procctl -n '__procctl_using_command start' -l exp-backoff-restart-delay -x -d 'exponential backoff from MS, x1.5 per crash, max 15 s'
complete -c procctl -n '__procctl_using_command start' -l kill-timeout -x -d 'SIGKILL after this long (default 1600)'
complete -c procctl -n '__procctl_using_command start' -l listen-timeout -x -d 'how long to wait for readiness (default 3000)'
complete -c procctl -n '__procctl_using_command start' -l wait-ready -d 'online only after READY=1 on NOTIFY_SOCKET or process.send(\'ready\'); else a failed start'
complete -c procctl -n '__procctl_using_command start' -l stop-exit-codes -x -d 'exit codes that mean stopped, e.g. 0,3'
complete -c procctl -n '__procctl_using_command start' -l kill-signal -x -a 'SIGHUP SIGINT SIGQUIT SIGILL SIGTRAP SIGABRT SIGBUS SIGFPE SIGKILL SIGUSR1 SIGSEGV SIGUSR2 SIGPIPE SIGALRM SIGTERM SIGSTKFLT SIGCHLD SIGCONT SIGSTOP SIGTSTP SIGTTIN SIGTTOU SIGURG SIGXCPU SIGXFSZ SIGVTALRM SIGPROF SIGWINCH SIGIO SIGPWR SIGSYS' -d 'signal that asks the app to stop (default SIGTERM)'
complete -c procctl -n '__procctl_using_command start' -l time -d 'prefix each log line with a timestamp (ISO-8601 UTC)'
complete -c procctl -n '__procctl_using_command start' -l log-date-format -x -d 'timestamp format for --time, e.g. \'YYYY-MM-DD HH:mm:ss Z\' (local time)'
complete -c procctl -n '__procctl_using_command start' -s o -l output -r -F -d 'stdout log file (default: logs/NAME-out.log)'
complete -c procctl -n '__procctl_using_command start' -s e -l error -r -F -d 'stderr log file (default: logs/NAME-err.log)'
complete -c procctl -n '__procctl_using_command start' -l no-merge-logs -d 'one log file per instance (NAME-out-N.log)'
complete -c procctl -n '__procctl_using_command start' -l log-max-size -x -d 'rotate a log file when it reaches SIZE (e.g. 10M)'
complete -c procctl -n '__procctl_using_command start' -l log-retain -x -d 'rotated files kept beside the live one (default 5)'
complete -c procctl -n '__procctl_using_command start' -l watchdog -x -d 'restart unless the app sends WATCHDOG=1 on NOTIFY_SOCKET every MS'
complete -c procctl -n '__procctl_using_command start' -l health-url -x -d 'HTTP GET this URL every interval; failures in a row restart the app'
complete -c procctl -n '__procctl_using_command start' -l health-interval -x -d 'time between health checks (default 10000)'
complete -c procctl -n '__procctl_using_command start' -l health-retries -x -d 'failed health checks in a row before a restart (default 3)'
complete -c procctl -n '__procctl_using_command start' -l max-memory-restart -x -d 'restart when the process tree\'s memory passes SIZE (e.g. 200M)'
complete -c procctl -n '__procctl_using_command start' -l cron-restart -x -d 'restart (or start) on a schedule, e.g. "0 3 * * *"'
complete -c procctl -n '__procctl_using_command start' -l watch -r -F -d 'restart when files under PATH (default: the cwd) change (repeatable)'
complete -c procctl -n '__procctl_using_command start' -l ignore-watch -x -d 'paths not to watch (node_modules and .git always; repeatable)'
complete -c procctl -n '__procctl_using_command start' -l watch-delay -x -d 'wait for changes to settle this long before restarting (default 1000)'
complete -c procctl -n '__procctl_using_command start' -l depends-on -x -d 'start once app NAME is COND: online (the default), started, healthy, completed, completed_successfully or log_ready'
complete -c procctl -n '__procctl_using_command start' -l stop-command -x -d 'run COMMAND (through sh) to stop the app, in place of its kill signal'
complete -c procctl -n '__procctl_using_command start' -l ready-log-line -x -d 'the output line (a part of it) that makes the app log_ready'
complete -c procctl -n '__procctl_using_command start' -l user -x -d 'run as this user, with its groups (procd must run as root)'
complete -c procctl -n '__procctl_using_command start' -l group -x -d 'run with this primary group (procd must run as root)'
complete -c procctl -n '__procctl_using_command start' -s f -l force -d 'replace an app of the same name that is running'
complete -c procctl -n '__procctl_using_command start' -l only -x -d 'with a config file: only these apps (comma-separated), with what they depend on'
complete -c procctl -n '__procctl_using_command start' -l no-deps -d 'with --only: not the apps they depend on'
complete -c procctl -n '__procctl_using_command start' -l lenient -d 'with a config file: a misspelt attribute is a warning, not an error'
complete -c procctl -n '__procctl_using_command start' -l dry-run -d 'print the resolved apps and start nothing'
complete -c procctl -n '__procctl_using_command start' -l json -d 'with --dry-run: print the apps as JSON'
complete -c procctl -n '__procctl_using_command start' -F

# stop
complete -c procctl -n __procctl_needs_command -a stop -d 'stop processes (the whole process tree)'
complete -c procctl -n '__procctl_using_command stop' -s h -l help -d 'show help'
complete -c procctl -n '__procctl_using_command stop' -a '(__procctl_targets)'

# restart
complete -c procctl -n __procctl_needs_command -a restart -d 'restart processes (starts stopped or errored ones)'
complete -c procctl -n '__procctl_using_command restart' -s h -l help -d 'show help'
complete -c procctl -n '__procctl_using_command restart' -l update-env -d 'apply this shell\'s environment (or the config file\'s env) to the app'
complete -c procctl -n '__procctl_using_command restart' -l env -x -d 'set a variable before restarting; a NAME selects a config\'s env_NAME'
complete -c procctl -n '__procctl_using_command restart' -l only -x -d 'with a config file: only these apps'
complete -c procctl -n '__procctl_using_command restart' -l lenient -d 'with a config file: a misspelt attribute is a warning'
complete -c procctl -n '__procctl_using_command restart' -a '(__procctl_targets)'

# reload
complete -c procctl -n __procctl_needs_command -a reload -d 'replace processes one at a time, each new one online before the old one stops'
complete -c procctl -n '__procctl_using_command reload' -s h -l help -d 'show help'
complete -c procctl -n '__procctl_using_command reload' -a '(__procctl_targets)'

# startOrRestart
complete -c procctl -n __procctl_needs_command -a startOrRestart -d 'start the file\'s apps that are not running, restart the others'
complete -c procctl -n '__procctl_using_command startOrRestart' -s h -l help -d 'show help'
complete -c procctl -n '__procctl_using_command startOrRestart' -s n -l name -x -d 'app name (default: the script\'s name without extension)'
complete -c procctl -n '__procctl_using_command startOrRestart' -s i -l instances -x -d 'number of processes: N, \'max\' (all CPUs) or -1 (CPUs less one)'
complete -c procctl -n '__procctl_using_command startOrRestart' -l cwd -x -a '(__fish_complete_directories (commandline -ct))' -d 'working directory (default: the current one)'
complete -c procctl -n '__procctl_using_command startOrRestart' -l interpreter -x -d 'run the script with PROGRAM; \'none\' runs it directly'
complete -c procctl -n '__procctl_using_command startOrRestart' -l interpreter-args -x -d 'arguments for the interpreter, before the script'
complete -c procctl -n '__procctl_using_command startOrRestart' -l env -x -d 'set a variable; with a config file a NAME applies its env_NAME block (repeatable)'
complete -c procctl -n '__procctl_using_command startOrRestart' -l env-file -r -F -d 'read KEY=VALUE lines (dotenv format)'
complete -c procctl -n '__procctl_using_command startOrRestart' -l namespace -x -d 'group apps under a namespace (default: \'default\')'
complete -c procctl -n '__procctl_using_command startOrRestart' -l instance-var -x -d 'also give the instance number in variable NAME'
complete -c procctl -n '__procctl_using_command startOrRestart' -l exec-mode -x -d 'cluster: a Node app\'s instances share the ports they listen on, through one socket procd holds (the default for Node with -i above 1); fork: each process on its own'
complete -c procctl -n '__procctl_using_command startOrRestart' -l balance -x -d 'cluster mode: how connections reach instances: round-robin (default: procd deals each to the next), least-connections (to the one with fewest open), shared (each accepts itself)'
complete -c procctl -n '__procctl_using_command startOrRestart' -s p -l port -x -d 'listen on PORT in the daemon and pass the socket to every instance (socket activation; repeatable)'
complete -c procctl -n '__procctl_using_command startOrRestart' -l no-autorestart -d 'do not restart the app when it exits'
complete -c procctl -n '__procctl_using_command startOrRestart' -l max-restarts -x -d 'unstable restarts in a row before errored (default 16)'
complete -c procctl -n '__procctl_using_command startOrRestart' -l min-uptime -x -d 'an exit sooner than this is unstable (default 1000)'
complete -c procctl -n '__procctl_using_command startOrRestart' -l restart-delay -x -d 'wait before restarting (default 0)'
complete -c procctl -n '__procctl_using_command startOrRestart' -l exp-backoff-restart-delay -x -d 'exponential backoff from MS, x1.5 per crash, max 15 s'
complete -c procctl -n '__procctl_using_command startOrRestart' -l kill-timeout -x -d 'SIGKILL after this long (default 1600)'
complete -c procctl -n '__procctl_using_command startOrRestart' -l listen-timeout -x -d 'how long to wait for readiness (default 3000)'
complete -c procctl -n '__procctl_using_command startOrRestart' -l wait-ready -d 'online only after READY=1 on NOTIFY_SOCKET or process.send(\'ready\'); else a failed start'
complete -c procctl -n '__procctl_using_command startOrRestart' -l stop-exit-codes -x -d 'exit codes that mean stopped, e.g. 0,3'
complete -c procctl -n '__procctl_using_command startOrRestart' -l kill-signal -x -a 'SIGHUP SIGINT SIGQUIT SIGILL SIGTRAP SIGABRT SIGBUS SIGFPE SIGKILL SIGUSR1 SIGSEGV SIGUSR2 SIGPIPE SIGALRM SIGTERM SIGSTKFLT SIGCHLD SIGCONT SIGSTOP SIGTSTP SIGTTIN SIGTTOU SIGURG SIGXCPU SIGXFSZ SIGVTALRM SIGPROF SIGWINCH SIGIO SIGPWR SIGSYS' -d 'signal that asks the app to stop (default SIGTERM)'
complete -c procctl -n '__procctl_using_command startOrRestart' -l time -d 'prefix each log line with a timestamp (ISO-8601 UTC)'
complete -c procctl -n '__procctl_using_command startOrRestart' -l log-date-format -x -d 'timestamp format for --time, e.g. \'YYYY-MM-DD HH:mm:ss Z\' (local time)'
complete -c procctl -n '__procctl_using_command startOrRestart' -s o -l output -r -F -d 'stdout log file (default: logs/NAME-out.log)'
complete -c procctl -n '__procctl_using_command startOrRestart' -s e -l error -r -F -d 'stderr log file (default: logs/NAME-err.log)'
complete -c procctl -n '__procctl_using_command startOrRestart' -l no-merge-logs -d 'one log file per instance (NAME-out-N.log)'
complete -c procctl -n '__procctl_using_command startOrRestart' -l log-max-size -x -d 'rotate a log file when it reaches SIZE (e.g. 10M)'
complete -c procctl -n '__procctl_using_command startOrRestart' -l log-retain -x -d 'rotated files kept beside the live one (default 5)'
complete -c procctl -n '__procctl_using_command startOrRestart' -l watchdog -x -d 'restart unless the app sends WATCHDOG=1 on NOTIFY_SOCKET every MS'
complete -c procctl -n '__procctl_using_command startOrRestart' -l health-url -x -d 'HTTP GET this URL every interval; failures in a row restart the app'
complete -c procctl -n '__procctl_using_command startOrRestart' -l health-interval -x -d 'time between health checks (default 10000)'
complete -c procctl -n '__procctl_using_command startOrRestart' -l health-retries -x -d 'failed health checks in a row before a restart (default 3)'
complete -c procctl -n '__procctl_using_command startOrRestart' -l max-memory-restart -x -d 'restart when the process tree\'s memory passes SIZE (e.g. 200M)'
complete -c procctl -n '__procctl_using_command startOrRestart' -l cron-restart -x -d 'restart (or start) on a schedule, e.g. "0 3 * * *"'
complete -c procctl -n '__procctl_using_command startOrRestart' -l watch -r -F -d 'restart when files under PATH (default: the cwd) change (repeatable)'
complete -c procctl -n '__procctl_using_command startOrRestart' -l ignore-watch -x -d 'paths not to watch (node_modules and .git always; repeatable)'
complete -c procctl -n '__procctl_using_command startOrRestart' -l watch-delay -x -d 'wait for changes to settle this long before restarting (default 1000)'
complete -c procctl -n '__procctl_using_command startOrRestart' -l depends-on -x -d 'start once app NAME is COND: online (the default), started, healthy, completed, completed_successfully or log_ready'
complete -c procctl -n '__procctl_using_command startOrRestart' -l stop-command -x -d 'run COMMAND (through sh) to stop the app, in place of its kill signal'
complete -c procctl -n '__procctl_using_command startOrRestart' -l ready-log-line -x -d 'the output line (a part of it) that makes the app log_ready'
complete -c procctl -n '__procctl_using_command startOrRestart' -l user -x -d 'run as this user, with its groups (procd must run as root)'
complete -c procctl -n '__procctl_using_command startOrRestart' -l group -x -d 'run with this primary group (procd must run as root)'
complete -c procctl -n '__procctl_using_command startOrRestart' -s f -l force -d 'replace an app of the same name that is running'
complete -c procctl -n '__procctl_using_command startOrRestart' -l only -x -d 'with a config file: only these apps (comma-separated), with what they depend on'
complete -c procctl -n '__procctl_using_command startOrRestart' -l no-deps -d 'with --only: not the apps they depend on'
complete -c procctl -n '__procctl_using_command startOrRestart' -l lenient -d 'with a config file: a misspelt attribute is a warning, not an error'
complete -c procctl -n '__procctl_using_command startOrRestart' -l dry-run -d 'print the resolved apps and start nothing'
complete -c procctl -n '__procctl_using_command startOrRestart' -l json -d 'with --dry-run: print the apps as JSON'
complete -c procctl -n '__procctl_using_command startOrRestart' -F

# startOrReload
complete -c procctl -n __procctl_needs_command -a startOrReload -d 'start the file\'s apps that are not running, reload the others'
complete -c procctl -n __procctl_needs_command -a startOrGracefulReload -d 'alias of startOrReload'
complete -c procctl -n '__procctl_using_command startOrReload startOrGracefulReload' -s h -l help -d 'show help'
complete -c procctl -n '__procctl_using_command startOrReload startOrGracefulReload' -s n -l name -x -d 'app name (default: the script\'s name without extension)'
complete -c procctl -n '__procctl_using_command startOrReload startOrGracefulReload' -s i -l instances -x -d 'number of processes: N, \'max\' (all CPUs) or -1 (CPUs less one)'
complete -c procctl -n '__procctl_using_command startOrReload startOrGracefulReload' -l cwd -x -a '(__fish_complete_directories (commandline -ct))' -d 'working directory (default: the current one)'
complete -c procctl -n '__procctl_using_command startOrReload startOrGracefulReload' -l interpreter -x -d 'run the script with PROGRAM; \'none\' runs it directly'
complete -c procctl -n '__procctl_using_command startOrReload startOrGracefulReload' -l interpreter-args -x -d 'arguments for the interpreter, before the script'
complete -c procctl -n '__procctl_using_command startOrReload startOrGracefulReload' -l env -x -d 'set a variable; with a config file a NAME applies its env_NAME block (repeatable)'
complete -c procctl -n '__procctl_using_command startOrReload startOrGracefulReload' -l env-file -r -F -d 'read KEY=VALUE lines (dotenv format)'
complete -c procctl -n '__procctl_using_command startOrReload startOrGracefulReload' -l namespace -x -d 'group apps under a namespace (default: \'default\')'
complete -c procctl -n '__procctl_using_command startOrReload startOrGracefulReload' -l instance-var -x -d 'also give the instance number in variable NAME'
complete -c procctl -n '__procctl_using_command startOrReload startOrGracefulReload' -l exec-mode -x -d 'cluster: a Node app\'s instances share the ports they listen on, through one socket procd holds (the default for Node with -i above 1); fork: each process on its own'
complete -c procctl -n '__procctl_using_command startOrReload startOrGracefulReload' -l balance -x -d 'cluster mode: how connections reach instances: round-robin (default: procd deals each to the next), least-connections (to the one with fewest open), shared (each accepts itself)'
complete -c procctl -n '__procctl_using_command startOrReload startOrGracefulReload' -s p -l port -x -d 'listen on PORT in the daemon and pass the socket to every instance (socket activation; repeatable)'
complete -c procctl -n '__procctl_using_command startOrReload startOrGracefulReload' -l no-autorestart -d 'do not restart the app when it exits'
complete -c procctl -n '__procctl_using_command startOrReload startOrGracefulReload' -l max-restarts -x -d 'unstable restarts in a row before errored (default 16)'
complete -c procctl -n '__procctl_using_command startOrReload startOrGracefulReload' -l min-uptime -x -d 'an exit sooner than this is unstable (default 1000)'
complete -c procctl -n '__procctl_using_command startOrReload startOrGracefulReload' -l restart-delay -x -d 'wait before restarting (default 0)'
complete -c procctl -n '__procctl_using_command startOrReload startOrGracefulReload' -l exp-backoff-restart-delay -x -d 'exponential backoff from MS, x1.5 per crash, max 15 s'
complete -c procctl -n '__procctl_using_command startOrReload startOrGracefulReload' -l kill-timeout -x -d 'SIGKILL after this long (default 1600)'
complete -c procctl -n '__procctl_using_command startOrReload startOrGracefulReload' -l listen-timeout -x -d 'how long to wait for readiness (default 3000)'
complete -c procctl -n '__procctl_using_command startOrReload startOrGracefulReload' -l wait-ready -d 'online only after READY=1 on NOTIFY_SOCKET or process.send(\'ready\'); else a failed start'
complete -c procctl -n '__procctl_using_command startOrReload startOrGracefulReload' -l stop-exit-codes -x -d 'exit codes that mean stopped, e.g. 0,3'
complete -c procctl -n '__procctl_using_command startOrReload startOrGracefulReload' -l kill-signal -x -a 'SIGHUP SIGINT SIGQUIT SIGILL SIGTRAP SIGABRT SIGBUS SIGFPE SIGKILL SIGUSR1 SIGSEGV SIGUSR2 SIGPIPE SIGALRM SIGTERM SIGSTKFLT SIGCHLD SIGCONT SIGSTOP SIGTSTP SIGTTIN SIGTTOU SIGURG SIGXCPU SIGXFSZ SIGVTALRM SIGPROF SIGWINCH SIGIO SIGPWR SIGSYS' -d 'signal that asks the app to stop (default SIGTERM)'
complete -c procctl -n '__procctl_using_command startOrReload startOrGracefulReload' -l time -d 'prefix each log line with a timestamp (ISO-8601 UTC)'
complete -c procctl -n '__procctl_using_command startOrReload startOrGracefulReload' -l log-date-format -x -d 'timestamp format for --time, e.g. \'YYYY-MM-DD HH:mm:ss Z\' (local time)'
complete -c procctl -n '__procctl_using_command startOrReload startOrGracefulReload' -s o -l output -r -F -d 'stdout log file (default: logs/NAME-out.log)'
complete -c procctl -n '__procctl_using_command startOrReload startOrGracefulReload' -s e -l error -r -F -d 'stderr log file (default: logs/NAME-err.log)'
complete -c procctl -n '__procctl_using_command startOrReload startOrGracefulReload' -l no-merge-logs -d 'one log file per instance (NAME-out-N.log)'
complete -c procctl -n '__procctl_using_command startOrReload startOrGracefulReload' -l log-max-size -x -d 'rotate a log file when it reaches SIZE (e.g. 10M)'
complete -c procctl -n '__procctl_using_command startOrReload startOrGracefulReload' -l log-retain -x -d 'rotated files kept beside the live one (default 5)'
complete -c procctl -n '__procctl_using_command startOrReload startOrGracefulReload' -l watchdog -x -d 'restart unless the app sends WATCHDOG=1 on NOTIFY_SOCKET every MS'
complete -c procctl -n '__procctl_using_command startOrReload startOrGracefulReload' -l health-url -x -d 'HTTP GET this URL every interval; failures in a row restart the app'
complete -c procctl -n '__procctl_using_command startOrReload startOrGracefulReload' -l health-interval -x -d 'time between health checks (default 10000)'
complete -c procctl -n '__procctl_using_command startOrReload startOrGracefulReload' -l health-retries -x -d 'failed health checks in a row before a restart (default 3)'
complete -c procctl -n '__procctl_using_command startOrReload startOrGracefulReload' -l max-memory-restart -x -d 'restart when the process tree\'s memory passes SIZE (e.g. 200M)'
complete -c procctl -n '__procctl_using_command startOrReload startOrGracefulReload' -l cron-restart -x -d 'restart (or start) on a schedule, e.g. "0 3 * * *"'
complete -c procctl -n '__procctl_using_command startOrReload startOrGracefulReload' -l watch -r -F -d 'restart when files under PATH (default: the cwd) change (repeatable)'
complete -c procctl -n '__procctl_using_command startOrReload startOrGracefulReload' -l ignore-watch -x -d 'paths not to watch (node_modules and .git always; repeatable)'
complete -c procctl -n '__procctl_using_command startOrReload startOrGracefulReload' -l watch-delay -x -d 'wait for changes to settle this long before restarting (default 1000)'
complete -c procctl -n '__procctl_using_command startOrReload startOrGracefulReload' -l depends-on -x -d 'start once app NAME is COND: online (the default), started, healthy, completed, completed_successfully or log_ready'
complete -c procctl -n '__procctl_using_command startOrReload startOrGracefulReload' -l stop-command -x -d 'run COMMAND (through sh) to stop the app, in place of its kill signal'
complete -c procctl -n '__procctl_using_command startOrReload startOrGracefulReload' -l ready-log-line -x -d 'the output line (a part of it) that makes the app log_ready'
complete -c procctl -n '__procctl_using_command startOrReload startOrGracefulReload' -l user -x -d 'run as this user, with its groups (procd must run as root)'
complete -c procctl -n '__procctl_using_command startOrReload startOrGracefulReload' -l group -x -d 'run with this primary group (procd must run as root)'
complete -c procctl -n '__procctl_using_command startOrReload startOrGracefulReload' -s f -l force -d 'replace an app of the same name that is running'
complete -c procctl -n '__procctl_using_command startOrReload startOrGracefulReload' -l only -x -d 'with a config file: only these apps (comma-separated), with what they depend on'
complete -c procctl -n '__procctl_using_command startOrReload startOrGracefulReload' -l no-deps -d 'with --only: not the apps they depend on'
complete -c procctl -n '__procctl_using_command startOrReload startOrGracefulReload' -l lenient -d 'with a config file: a misspelt attribute is a warning, not an error'
complete -c procctl -n '__procctl_using_command startOrReload startOrGracefulReload' -l dry-run -d 'print the resolved apps and start nothing'
complete -c procctl -n '__procctl_using_command startOrReload startOrGracefulReload' -l json -d 'with --dry-run: print the apps as JSON'
complete -c procctl -n '__procctl_using_command startOrReload startOrGracefulReload' -F

# scale
complete -c procctl -n __procctl_needs_command -a scale -d 'set the number of instances of an app'
complete -c procctl -n '__procctl_using_command scale' -s h -l help -d 'show help'
complete -c procctl -n '__procctl_using_command scale' -a '(__procctl_targets)'

# send
complete -c procctl -n __procctl_needs_command -a send -d 'send a JSON message to Node processes (process.on(\'message\'))'
complete -c procctl -n '__procctl_using_command send' -s h -l help -d 'show help'
complete -c procctl -n '__procctl_using_command send' -a '(__procctl_targets)'

# delete
complete -c procctl -n __procctl_needs_command -a delete -d 'stop processes and remove their apps'
complete -c procctl -n __procctl_needs_command -a del -d 'alias of delete'
complete -c procctl -n '__procctl_using_command delete del' -s h -l help -d 'show help'
complete -c procctl -n '__procctl_using_command delete del' -a '(__procctl_targets)'

# list
complete -c procctl -n __procctl_needs_command -a list -d 'show every process'
complete -c procctl -n __procctl_needs_command -a ls -d 'alias of list'
complete -c procctl -n __procctl_needs_command -a status -d 'alias of list'
complete -c procctl -n '__procctl_using_command list ls status' -s h -l help -d 'show help'
complete -c procctl -n '__procctl_using_command list ls status' -l json -d 'print JSON'
complete -c procctl -n '__procctl_using_command list ls status' -l sort -x -d 'sort by name, id, cpu, memory, uptime or restarts'

# jlist
complete -c procctl -n __procctl_needs_command -a jlist -d 'every process as JSON (same as list --json)'
complete -c procctl -n '__procctl_using_command jlist' -s h -l help -d 'show help'

# prettylist
complete -c procctl -n __procctl_needs_command -a prettylist -d 'every process as indented JSON'
complete -c procctl -n '__procctl_using_command prettylist' -s h -l help -d 'show help'

# describe
complete -c procctl -n __procctl_needs_command -a describe -d 'everything about a process'
complete -c procctl -n __procctl_needs_command -a show -d 'alias of describe'
complete -c procctl -n '__procctl_using_command describe show' -s h -l help -d 'show help'
complete -c procctl -n '__procctl_using_command describe show' -l json -d 'print JSON'
complete -c procctl -n '__procctl_using_command describe show' -a '(__procctl_targets)'

# logs
complete -c procctl -n __procctl_needs_command -a logs -d 'print the last lines of logs, and follow new ones with -f (no target: every app and the daemon)'
complete -c procctl -n '__procctl_using_command logs' -s h -l help -d 'show help'
complete -c procctl -n '__procctl_using_command logs' -l lines -x -d 'how many lines per file (default 15)'
complete -c procctl -n '__procctl_using_command logs' -s f -l follow -d 'keep printing new lines, across restarts, rotations and daemon restarts, until interrupted'
complete -c procctl -n '__procctl_using_command logs' -l json -d 'one JSON object per line: id, name, stream, time, line'
complete -c procctl -n '__procctl_using_command logs' -l out -d 'only standard output'
complete -c procctl -n '__procctl_using_command logs' -l err -d 'only standard error'
complete -c procctl -n '__procctl_using_command logs' -l raw -d 'no ID|NAME| prefix'
complete -c procctl -n '__procctl_using_command logs' -l timestamp -x -d 'prefix each line with the time procd received it (ISO-8601 UTC, or FORMAT such as \'HH:mm:ss\')'
complete -c procctl -n '__procctl_using_command logs' -a '(__procctl_targets)'

# events
complete -c procctl -n __procctl_needs_command -a events -d 'print lifecycle events (start, exit, errored...) as they happen, across daemon restarts'
complete -c procctl -n '__procctl_using_command events' -s h -l help -d 'show help'
complete -c procctl -n '__procctl_using_command events' -l json -d 'one JSON object a line: time, event, app, id, pid, details'
complete -c procctl -n '__procctl_using_command events' -a '(__procctl_targets)'

# metrics
complete -c procctl -n __procctl_needs_command -a metrics -d 'print process and daemon metrics in Prometheus text format'
complete -c procctl -n '__procctl_using_command metrics' -s h -l help -d 'show help'

# web
complete -c procctl -n __procctl_needs_command -a web -d 'serve the web dashboard and print its address with a login token'
complete -c procctl -n '__procctl_using_command web' -s h -l help -d 'show help'
complete -c procctl -n '__procctl_using_command web' -l listen -x -d 'where to listen (default: where it listens now, else 127.0.0.1:9615); remembered across restarts'
complete -c procctl -n '__procctl_using_command web' -l print-url -d 'print only the address, for scripts'
complete -c procctl -n '__procctl_using_command web' -l open -d 'open the address in this desktop\'s browser ($BROWSER or xdg-open)'
complete -c procctl -n '__procctl_using_command web' -l off -d 'stop serving it (unless PROCD_HTTP or procd --http asks for the listener)'

# flush
complete -c procctl -n __procctl_needs_command -a flush -d 'empty log files (no target: every app\'s)'
complete -c procctl -n '__procctl_using_command flush' -s h -l help -d 'show help'
complete -c procctl -n '__procctl_using_command flush' -a '(__procctl_targets)'

# reload-logs
complete -c procctl -n __procctl_needs_command -a reload-logs -d 'reopen every log file (after an external logrotate moved them)'
complete -c procctl -n __procctl_needs_command -a reloadLogs -d 'alias of reload-logs'
complete -c procctl -n '__procctl_using_command reload-logs reloadLogs' -s h -l help -d 'show help'

# reset
complete -c procctl -n __procctl_needs_command -a reset -d 'set restart counters to zero'
complete -c procctl -n '__procctl_using_command reset' -s h -l help -d 'show help'
complete -c procctl -n '__procctl_using_command reset' -a '(__procctl_targets)'

# signal
complete -c procctl -n __procctl_needs_command -a signal -d 'send a signal to each process'
complete -c procctl -n __procctl_needs_command -a sendSignal -d 'alias of signal'
complete -c procctl -n '__procctl_using_command signal sendSignal' -s h -l help -d 'show help'
complete -c procctl -n '__procctl_using_command signal; and test (__procctl_operand_count) -eq 0' -a 'SIGHUP SIGINT SIGQUIT SIGILL SIGTRAP SIGABRT SIGBUS SIGFPE SIGKILL SIGUSR1 SIGSEGV SIGUSR2 SIGPIPE SIGALRM SIGTERM SIGSTKFLT SIGCHLD SIGCONT SIGSTOP SIGTSTP SIGTTIN SIGTTOU SIGURG SIGXCPU SIGXFSZ SIGVTALRM SIGPROF SIGWINCH SIGIO SIGPWR SIGSYS'
complete -c procctl -n '__procctl_using_command signal; and test (__procctl_operand_count) -gt 0' -a '(__procctl_targets)'

# env
complete -c procctl -n __procctl_needs_command -a env -d 'print a process\'s environment (an app name if it has one process)'
complete -c procctl -n '__procctl_using_command env' -s h -l help -d 'show help'
complete -c procctl -n '__procctl_using_command env' -a '(__procctl_targets)'

# export
complete -c procctl -n __procctl_needs_command -a export -d 'write the apps as systemd units, a compose.yaml, Kubernetes manifests or a pm2 ecosystem file (no target: every app)'
complete -c procctl -n '__procctl_using_command export' -s h -l help -d 'show help'
complete -c procctl -n '__procctl_using_command export' -s o -l output -r -F -d 'write the files into the directory PATH; for ecosystem, the file PATH (default: print them)'
complete -c procctl -n '__procctl_using_command export' -l format -x -d 'the ecosystem file\'s format (default: from the -o file\'s name, else json)'
complete -c procctl -n '__procctl_using_command export' -l only -x -d 'with a config file: only these apps'
complete -c procctl -n '__procctl_using_command export' -l env -x -d 'with a config file: apply its env_NAME block'
complete -c procctl -n '__procctl_using_command export' -l lenient -d 'with a config file: a misspelt attribute is a warning'
complete -c procctl -n '__procctl_using_command export' -a '(__procctl_targets)'

# graph
complete -c procctl -n __procctl_needs_command -a graph -d 'show the apps\' dependencies (depends_on): start order, and what each waits for'
complete -c procctl -n '__procctl_using_command graph' -s h -l help -d 'show help'
complete -c procctl -n '__procctl_using_command graph' -l format -x -d 'text (the default), mermaid, dot or json'
complete -c procctl -n '__procctl_using_command graph' -l only -x -d 'with a config file: only these apps, with what they depend on'
complete -c procctl -n '__procctl_using_command graph' -l no-deps -d 'with --only: not the apps they depend on'
complete -c procctl -n '__procctl_using_command graph' -l lenient -d 'with a config file: a misspelt attribute is a warning'
complete -c procctl -n '__procctl_using_command graph' -a '(__procctl_targets)'

# save
complete -c procctl -n __procctl_needs_command -a save -d 'write the app table to dump.json, for resurrect and boot start'
complete -c procctl -n '__procctl_using_command save' -s h -l help -d 'show help'

# resurrect
complete -c procctl -n __procctl_needs_command -a resurrect -d 'start the apps saved in dump.json that are not running'
complete -c procctl -n '__procctl_using_command resurrect' -s h -l help -d 'show help'

# startup
complete -c procctl -n __procctl_needs_command -a startup -d 'install a systemd unit that starts procd at boot'
complete -c procctl -n '__procctl_using_command startup' -s h -l help -d 'show help'
complete -c procctl -n '__procctl_using_command startup' -l user -d 'a user unit (~/.config/systemd/user) instead of a system unit'
complete -c procctl -n '__procctl_using_command startup' -l print -d 'print the unit instead of writing it'

# unstartup
complete -c procctl -n __procctl_needs_command -a unstartup -d 'remove the systemd unit written by startup'
complete -c procctl -n '__procctl_using_command unstartup' -s h -l help -d 'show help'
complete -c procctl -n '__procctl_using_command unstartup' -l user -d 'remove the user unit'

# update
complete -c procctl -n __procctl_needs_command -a update -d 'replace the running daemon with the procd binary on disk, keeping every process'
complete -c procctl -n '__procctl_using_command update' -s h -l help -d 'show help'

# monit
complete -c procctl -n __procctl_needs_command -a monit -d 'full-screen live dashboard: CPU and memory over the last minute, details and log of the selected process'
complete -c procctl -n '__procctl_using_command monit' -s h -l help -d 'show help'

# ping
complete -c procctl -n __procctl_needs_command -a ping -d 'check that the daemon answers (starting it if needed)'
complete -c procctl -n '__procctl_using_command ping' -s h -l help -d 'show help'

# kill
complete -c procctl -n __procctl_needs_command -a kill -d 'stop every app, then the daemon (the table is forgotten)'
complete -c procctl -n '__procctl_using_command kill' -s h -l help -d 'show help'

# version
complete -c procctl -n __procctl_needs_command -a version -d 'print the client and daemon versions, with their commits'
complete -c procctl -n '__procctl_using_command version' -s h -l help -d 'show help'

# bridge
complete -c procctl -n __procctl_needs_command -a bridge -d 'connect standard input and output to this machine\'s procd (what --host runs over ssh)'
complete -c procctl -n '__procctl_using_command bridge' -s h -l help -d 'show help'

# help
complete -c procctl -n __procctl_needs_command -a help -d 'show help for procctl or a command'
complete -c procctl -n '__procctl_using_command help' -s h -l help -d 'show help'
complete -c procctl -n '__procctl_using_command help; and test (__procctl_operand_count) -eq 0' -a 'start stop restart reload startOrRestart startOrReload scale send delete list jlist prettylist describe logs events metrics web flush reload-logs reset signal env export graph save resurrect startup unstartup update monit ping kill version bridge help'
