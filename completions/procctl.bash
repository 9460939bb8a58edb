# bash completion for procctl; generated from procctl's command table; do not edit (see README.md, Development).
# Install: copy to /usr/share/bash-completion/completions/procctl, or source it.

# Live app names and process ids, plus 'all'. Prints nothing when no daemon runs.
_procctl_targets() {
    local IFS=$'\n'
    COMPREPLY+=($(compgen -W "$(procctl __complete 2>/dev/null; echo all)" -- "$cur"))
}

_procctl() {
    local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]}
    local cword=$COMP_CWORD
    COMPREPLY=()
    # `--opt=value`: bash splits at '=' when it is in COMP_WORDBREAKS.
    if [[ $cur == = && $prev == --* ]]; then
        cur=""
    elif [[ $prev == = && $cword -ge 2 ]]; then
        prev=${COMP_WORDS[cword-2]}
    elif [[ $cur == --*=* ]]; then
        prev=${cur%%=*}
        cur=${cur#*=}
    fi
    # Options before the command (--host …): skip them, then drop them from the
    # words, so that the command is word 1 below.
    local ci=1
    while ((ci < cword)); do
        case ${COMP_WORDS[ci]} in
        --host|-H|--parallel|--connect-timeout) ((ci += 2)) ;;
        --keep-going|--host=*|--parallel=*|--connect-timeout=*) ((ci++)) ;;
        *) break ;;
        esac
    done
    ((ci > cword)) && return
    if ((ci > 1)); then
        COMP_WORDS=("${COMP_WORDS[0]}" "${COMP_WORDS[@]:ci}")
        ((cword -= ci - 1))
    fi
    if ((cword == 1)); then
        COMPREPLY=($(compgen -W "start stop restart reload startOrRestart startOrReload startOrGracefulReload scale send delete del list ls status jlist prettylist describe show logs events metrics web flush reload-logs reloadLogs reset signal sendSignal env export graph save resurrect startup unstartup update monit ping kill version bridge help --host --parallel --keep-going --connect-timeout --help --version" -- "$cur"))
        return
    fi
    local command=${COMP_WORDS[1]} i operands=0
    for ((i = 2; i < cword; i++)); do
        # after `--` every word belongs to the app
        [[ ${COMP_WORDS[i]} == -- ]] && { compopt -o default 2>/dev/null; return; }
    done
    case $command in
    start)
        case $prev in
        --name|-n|--instances|-i|--interpreter|--interpreter-args|--env|--namespace|--instance-var|--exec-mode|--balance|--stop-exit-codes|--log-date-format|--log-max-size|--health-url|--max-memory-restart|--cron-restart|--ignore-watch|--depends-on|--stop-command|--ready-log-line|--user|--group|--only) return ;;
        --cwd) compopt -o filenames 2>/dev/null; COMPREPLY=($(compgen -d -- "$cur")); return ;;
        --env-file|--output|-o|--error|-e|--watch) compopt -o filenames 2>/dev/null; COMPREPLY=($(compgen -f -- "$cur")); return ;;
        --port|-p|--max-restarts|--min-uptime|--restart-delay|--exp-backoff-restart-delay|--kill-timeout|--listen-timeout|--log-retain|--watchdog|--health-interval|--health-retries|--watch-delay) return ;;
        --kill-signal) COMPREPLY=($(compgen -W "SIGHUP SIGINT SIGQUIT SIGILL SIGTRAP SIGABRT SIGBUS SIGFPE SIGKILL SIGUSR1 SIGSEGV SIGUSR2 SIGPIPE SIGALRM SIGTERM SIGSTKFLT SIGCHLD SIGCONT SIGSTOP SIGTSTP SIGTTIN SIGTTOU SIGURG SIGXCPU SIGXFSZ SIGVTALRM SIGPROF SIGWINCH SIGIO SIGPWR SIGSYS" -- "$cur")); return ;;
        esac
        if [[ $cur == -* ]]; then
            COMPREPLY=($(compgen -W "--name -n --instances -i --cwd --interpreter --interpreter-args --env --env-file --namespace --instance-var --exec-mode --balance --port -p --no-autorestart --max-restarts --min-uptime --restart-delay --exp-backoff-restart-delay --kill-timeout --listen-timeout --wait-ready --stop-exit-codes --kill-signal --time --log-date-format --output -o --error -e --no-merge-logs --log-max-size --log-retain --watchdog --health-url --health-interval --health-retries --max-memory-restart --cron-restart --watch --ignore-watch --watch-delay --depends-on --stop-command --ready-log-line --user --group --force -f --only --no-deps --lenient --dry-run --json --help" -- "$cur"))
            return
        fi
        compopt -o filenames 2>/dev/null; COMPREPLY=($(compgen -f -- "$cur"))
        ;;
    stop)
        if [[ $cur == -* ]]; then
            COMPREPLY=($(compgen -W "--help" -- "$cur"))
            return
        fi
        _procctl_targets
        ;;
    restart)
        case $prev in
        --env|--only) return ;;
        esac
        if [[ $cur == -* ]]; then
            COMPREPLY=($(compgen -W "--update-env --env --only --lenient --help" -- "$cur"))
            return
        fi
        _procctl_targets
        ;;
    reload)
        if [[ $cur == -* ]]; then
            COMPREPLY=($(compgen -W "--help" -- "$cur"))
            return
        fi
        _procctl_targets
        ;;
    startOrRestart)
        case $prev in
        --name|-n|--instances|-i|--interpreter|--interpreter-args|--env|--namespace|--instance-var|--exec-mode|--balance|--stop-exit-codes|--log-date-format|--log-max-size|--health-url|--max-memory-restart|--cron-restart|--ignore-watch|--depends-on|--stop-command|--ready-log-line|--user|--group|--only) return ;;
        --cwd) compopt -o filenames 2>/dev/null; COMPREPLY=($(compgen -d -- "$cur")); return ;;
        --env-file|--output|-o|--error|-e|--watch) compopt -o filenames 2>/dev/null; COMPREPLY=($(compgen -f -- "$cur")); return ;;
        --port|-p|--max-restarts|--min-uptime|--restart-delay|--exp-backoff-restart-delay|--kill-timeout|--listen-timeout|--log-retain|--watchdog|--health-interval|--health-retries|--watch-delay) return ;;
        --kill-signal) COMPREPLY=($(compgen -W "SIGHUP SIGINT SIGQUIT SIGILL SIGTRAP SIGABRT SIGBUS SIGFPE SIGKILL SIGUSR1 SIGSEGV SIGUSR2 SIGPIPE SIGALRM SIGTERM SIGSTKFLT SIGCHLD SIGCONT SIGSTOP SIGTSTP SIGTTIN SIGTTOU SIGURG SIGXCPU SIGXFSZ SIGVTALRM SIGPROF SIGWINCH SIGIO SIGPWR SIGSYS" -- "$cur")); return ;;
        esac
        if [[ $cur == -* ]]; then
            COMPREPLY=($(compgen -W "--name -n --instances -i --cwd --interpreter --interpreter-args --env --env-file --namespace --instance-var --exec-mode --balance --port -p --no-autorestart --max-restarts --min-uptime --restart-delay --exp-backoff-restart-delay --kill-timeout --listen-timeout --wait-ready --stop-exit-codes --kill-signal --time --log-date-format --output -o --error -e --no-merge-logs --log-max-size --log-retain --watchdog --health-url --health-interval --health-retries --max-memory-restart --cron-restart --watch --ignore-watch --watch-delay --depends-on --stop-command --ready-log-line --user --group --force -f --only --no-deps --lenient --dry-run --json --help" -- "$cur"))
            return
        fi
        compopt -o filenames 2>/dev/null; COMPREPLY=($(compgen -f -- "$cur"))
        ;;
    startOrReload|startOrGracefulReload)
        case $prev in
        --name|-n|--instances|-i|--interpreter|--interpreter-args|--env|--namespace|--instance-var|--exec-mode|--balance|--stop-exit-codes|--log-date-format|--log-max-size|--health-url|--max-memory-restart|--cron-restart|--ignore-watch|--depends-on|--stop-command|--ready-log-line|--user|--group|--only) return ;;
        --cwd) compopt -o filenames 2>/dev/null; COMPREPLY=($(compgen -d -- "$cur")); return ;;
        --env-file|--output|-o|--error|-e|--watch) compopt -o filenames 2>/dev/null; COMPREPLY=($(compgen -f -- "$cur")); return ;;
        --port|-p|--max-restarts|--min-uptime|--restart-delay|--exp-backoff-restart-delay|--kill-timeout|--listen-timeout|--log-retain|--watchdog|--health-interval|--health-retries|--watch-delay) return ;;
        --kill-signal) COMPREPLY=($(compgen -W "SIGHUP SIGINT SIGQUIT SIGILL SIGTRAP SIGABRT SIGBUS SIGFPE SIGKILL SIGUSR1 SIGSEGV SIGUSR2 SIGPIPE SIGALRM SIGTERM SIGSTKFLT SIGCHLD SIGCONT SIGSTOP SIGTSTP SIGTTIN SIGTTOU SIGURG SIGXCPU SIGXFSZ SIGVTALRM SIGPROF SIGWINCH SIGIO SIGPWR SIGSYS" -- "$cur")); return ;;
        esac
        if [[ $cur == -* ]]; then
            COMPREPLY=($(compgen -W "--name -n --instances -i --cwd --interpreter --interpreter-args --env --env-file --namespace --instance-var --exec-mode --balance --port -p --no-autorestart --max-restarts --min-uptime --restart-delay --exp-backoff-restart-delay --kill-timeout --listen-timeout --wait-ready --stop-exit-codes --kill-signal --time --log-date-format --output -o --error -e --no-merge-logs --log-max-size --log-retain --watchdog --health-url --health-interval --health-retries --max-memory-restart --cron-restart --watch --ignore-watch --watch-delay --depends-on --stop-command --ready-log-line --user --group --force -f --only --no-deps --lenient --dry-run --json --help" -- "$cur"))
            return
        fi
        compopt -o filenames 2>/dev/null; COMPREPLY=($(compgen -f -- "$cur"))
        ;;
    scale)
        if [[ $cur == -* ]]; then
            COMPREPLY=($(compgen -W "--help" -- "$cur"))
            return
        fi
        _procctl_targets
        ;;
    send)
        if [[ $cur == -* ]]; then
            COMPREPLY=($(compgen -W "--help" -- "$cur"))
            return
        fi
        _procctl_targets
        ;;
    delete|del)
        if [[ $cur == -* ]]; then
            COMPREPLY=($(compgen -W "--help" -- "$cur"))
            return
        fi
        _procctl_targets
        ;;
    list|ls|status)
        case $prev in
        --sort) return ;;
        esac
        if [[ $cur == -* ]]; then
            COMPREPLY=($(compgen -W "--json --sort --help" -- "$cur"))
            return
        fi
        ;;
    jlist)
        if [[ $cur == -* ]]; then
            COMPREPLY=($(compgen -W "--help" -- "$cur"))
            return
        fi
        ;;
    prettylist)
        if [[ $cur == -* ]]; then
            COMPREPLY=($(compgen -W "--help" -- "$cur"))
            return
        fi
        ;;
    describe|show)
        if [[ $cur == -* ]]; then
            COMPREPLY=($(compgen -W "--json --help" -- "$cur"))
            return
        fi
        _procctl_targets
        ;;
    logs)
        case $prev in
        --lines) return ;;
        --timestamp) return ;;
        esac
        if [[ $cur == -* ]]; then
            COMPREPLY=($(compgen -W "--lines --follow -f --json --out --err --raw --timestamp --help" -- "$cur"))
            return
        fi
        _procctl_targets
        ;;
    events)
        if [[ $cur == -* ]]; then
            COMPREPLY=($(compgen -W "--json --help" -- "$cur"))
            return
        fi
        _procctl_targets
        ;;
    metrics)
        if [[ $cur == -* ]]; then
            COMPREPLY=($(compgen -W "--help" -- "$cur"))
            return
        fi
        ;;
    web)
        case $prev in
        --listen) return ;;
        esac
        if [[ $cur == -* ]]; then
            COMPREPLY=($(compgen -W "--listen --print-url --open --off --help" -- "$cur"))
            return
        fi
        ;;
    flush)
        if [[ $cur == -* ]]; then
            COMPREPLY=($(compgen -W "--help" -- "$cur"))
            return
        fi
        _procctl_targets
        ;;
    reload-logs|reloadLogs)
        if [[ $cur == -* ]]; then
            COMPREPLY=($(compgen -W "--help" -- "$cur"))
            return
        fi
        ;;
    reset)
        if [[ $cur == -* ]]; then
            COMPREPLY=($(compgen -W "--help" -- "$cur"))
            return
        fi
        _procctl_targets
        ;;
    signal|sendSignal)
        if [[ $cur == -* ]]; then
            COMPREPLY=($(compgen -W "--help" -- "$cur"))
            return
        fi
        for ((i = 2; i < cword; i++)); do
            [[ ${COMP_WORDS[i]} != -* ]] && ((++operands))
        done
        if ((operands == 0)); then COMPREPLY=($(compgen -W "SIGHUP SIGINT SIGQUIT SIGILL SIGTRAP SIGABRT SIGBUS SIGFPE SIGKILL SIGUSR1 SIGSEGV SIGUSR2 SIGPIPE SIGALRM SIGTERM SIGSTKFLT SIGCHLD SIGCONT SIGSTOP SIGTSTP SIGTTIN SIGTTOU SIGURG SIGXCPU SIGXFSZ SIGVTALRM SIGPROF SIGWINCH SIGIO SIGPWR SIGSYS" -- "$cur")); else _procctl_targets; fi
        ;;
    env)
        if [[ $cur == -* ]]; then
            COMPREPLY=($(compgen -W "--help" -- "$cur"))
            return
        fi
        _procctl_targets
        ;;
    export)
        case $prev in
        --output|-o) compopt -o filenames 2>/dev/null; COMPREPLY=($(compgen -f -- "$cur")); return ;;
        --format|--only|--env) return ;;
        esac
        if [[ $cur == -* ]]; then
            COMPREPLY=($(compgen -W "--output -o --format --only --env --lenient --help" -- "$cur"))
            return
        fi
        _procctl_targets
        ;;
    graph)
        case $prev in
        --format|--only) return ;;
        esac
        if [[ $cur == -* ]]; then
            COMPREPLY=($(compgen -W "--format --only --no-deps --lenient --help" -- "$cur"))
            return
        fi
        _procctl_targets
        ;;
    save)
        if [[ $cur == -* ]]; then
            COMPREPLY=($(compgen -W "--help" -- "$cur"))
            return
        fi
        ;;
    resurrect)
        if [[ $cur == -* ]]; then
            COMPREPLY=($(compgen -W "--help" -- "$cur"))
            return
        fi
        ;;
    startup)
        if [[ $cur == -* ]]; then
            COMPREPLY=($(compgen -W "--user --print --help" -- "$cur"))
            return
        fi
        ;;
    unstartup)
        if [[ $cur == -* ]]; then
            COMPREPLY=($(compgen -W "--user --help" -- "$cur"))
            return
        fi
        ;;
    update)
        if [[ $cur == -* ]]; then
            COMPREPLY=($(compgen -W "--help" -- "$cur"))
            return
        fi
        ;;
    monit)
        if [[ $cur == -* ]]; then
            COMPREPLY=($(compgen -W "--help" -- "$cur"))
            return
        fi
        ;;
    ping)
        if [[ $cur == -* ]]; then
            COMPREPLY=($(compgen -W "--help" -- "$cur"))
            return
        fi
        ;;
    kill)
        if [[ $cur == -* ]]; then
            COMPREPLY=($(compgen -W "--help" -- "$cur"))
            return
        fi
        ;;
    version)
        if [[ $cur == -* ]]; then
            COMPREPLY=($(compgen -W "--help" -- "$cur"))
            return
        fi
        ;;
    bridge)
        if [[ $cur == -* ]]; then
            COMPREPLY=($(compgen -W "--help" -- "$cur"))
            return
        fi
        ;;
    help)
        if [[ $cur == -* ]]; then
            COMPREPLY=($(compgen -W "--help" -- "$cur"))
            return
        fi
        ((cword == 2)) && COMPREPLY=($(compgen -W "start stop restart reload startOrRestart startOrReload startOrGracefulReload scale send delete del list ls status jlist prettylist describe show logs events metrics web flush reload-logs reloadLogs reset signal sendSignal env export graph save resurrect startup unstartup update monit ping kill version bridge help" -- "$cur"))
        ;;
    esac
}

complete -F _procctl procctl
