/// Every procctl command, by the name `help` shows. `Procctl` switches over it to run one,
/// so a command cannot exist without its handler; `CommandTable` gives each its usage,
/// summary and options (a test checks every case has exactly one entry).
public enum CommandName: String, CaseIterable, Sendable {
    case start
    case stop
    case restart
    case reload
    case startOrRestart
    case startOrReload
    case scale
    case send
    case delete
    case list
    case jlist
    case prettylist
    case describe
    case logs
    case events
    case metrics
    case web
    case flush
    case reloadLogs = "reload-logs"
    case reset
    case signal
    case env
    case export
    case graph
    case save
    case resurrect
    case startup
    case unstartup
    case update
    case monit
    case ping
    case kill
    case version
    case bridge
    case help
}
