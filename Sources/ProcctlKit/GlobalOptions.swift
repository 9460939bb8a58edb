import ProcdCore
import ProcdPlatform

/// Options before the command: `--host` (repeatable; else `$PROCD_HOST`), `--parallel N`,
/// `--keep-going`, `--connect-timeout SECONDS`.
struct GlobalOptions {
    var hosts: [RemoteHost] = []
    var parallel = 1
    var keepGoing = false
    /// How long ssh may take to reach a host, and to notice that one stopped answering.
    var connectTimeout = SSHTransport.defaultTimeout
    /// The command and its own arguments.
    var words: [String] = []

    static func parse(_ arguments: [String]) throws(UsageError) -> GlobalOptions {
        var options = GlobalOptions()
        var i = 0
        func value(_ flag: String) throws(UsageError) -> String {
            if let eq = arguments[i].firstIndex(of: "=") { return String(arguments[i][arguments[i].index(after: eq)...]) }
            i += 1
            guard i < arguments.count else { throw UsageError("\(flag) needs a value") }
            return arguments[i]
        }
        while i < arguments.count {
            let word = arguments[i]
            if word == "--host" || word.hasPrefix("--host=") || word == "-H" {
                let text = try value("--host")
                guard let host = RemoteHost.parse(text) else { throw UsageError("--host expects [USER@]HOST[:PORT], got '\(text)'") }
                options.hosts.append(host)
            } else if word == "--parallel" || word.hasPrefix("--parallel=") {
                let text = try value("--parallel")
                guard let n = Int(text), n >= 1 else { throw UsageError("--parallel expects a whole number of at least 1, got '\(text)'") }
                options.parallel = n
            } else if word == "--connect-timeout" || word.hasPrefix("--connect-timeout=") {
                let text = try value("--connect-timeout")
                guard let n = Int(text), (1...3600).contains(n) else {
                    throw UsageError("--connect-timeout expects seconds from 1 to 3600, got '\(text)'")
                }
                options.connectTimeout = n
            } else if word == "--keep-going" {
                options.keepGoing = true
            } else {
                break
            }
            i += 1
        }
        options.words = Array(arguments[i...])
        if options.hosts.isEmpty, let text = Environment.get(EnvironmentName.host), !text.isEmpty {
            guard let hosts = RemoteHost.list(text) else { throw UsageError("PROCD_HOST expects [USER@]HOST[:PORT],… got '\(text)'") }
            options.hosts = hosts
        }
        return options
    }
}

