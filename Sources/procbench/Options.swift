/// What one run of procbench measures, from its command line.
struct Options: Sendable {
    /// Repetitions; managers are interleaved inside each one.
    var reps = 5
    /// Seconds of idleness over which daemon CPU time and wake-ups are counted.
    var idleSeconds = 10
    /// Size of the stdout flood, in MiB.
    var floodMiB = 256
    /// The "many" figure (100 in the SPEC's bars).
    var many = 100
    /// The scale figure (1000 in the SPEC's bars).
    var scale = 1000
    /// The many-apps figures: apps of one process each, started from one config file.
    var apps = 100
    var appsLarge = 500
    var appsScale = 1000
    /// Concurrent clients of the list RPC figure, and how long it runs.
    var rpcClients = 8
    var rpcSeconds = 2.0
    /// `procctl list` / `supervisorctl status` round trips timed per repetition.
    var listSamples = 10
    /// `kill -9`s per repetition for the respawn figure.
    var kills = 3
    var includesSupervisord = true
    var isSmoke = false

    static let usage = """
        usage: procbench [--reps N] [--idle-seconds N] [--flood-mib N] [--many N] [--scale N]
                         [--apps N,N,N] [--no-supervisord] [--smoke]
               procbench soak [--lists N] [--minutes M]
               procbench cluster [--reps N] [--instances N] [--seconds S]
               procbench boot [--samples N]
               procbench files [--apps SMALL,LARGE] [--samples N]
               procbench parse [--apps N] [--samples N]
               procbench stacks [--apps N] [--depth D] [--samples N] [--idle-seconds S]

        Runs procd, a bare posix_spawn+waitpid floor and supervisord side by side, several
        repetitions interleaved, and prints medians, min/max, ratios and a PASS/FAIL line
        per SPEC quality bar. `soak` checks that the daemon's memory stays flat over many
        list requests and a crash-looping app (minutes; see 'procbench soak --help').
        `cluster` runs one Node server under Node's own cluster module and under procd's
        balance modes side by side: spread, throughput, daemon CPU, reloads under load.
        `boot` times procd from its spawn until its socket answers, with and without the
        keeper (see 'procbench boot --help'). `files` starts 1,000 and 10,000 apps from one
        config file and compares the time per app (see 'procbench files --help'). `parse`
        times reading an ecosystem file of many apps as YAML against the same file as JSON.
        `stacks` starts a dependency tree of apps against the same apps without one.

          --reps N          repetitions (default 5)
          --idle-seconds N  idle window for CPU time and wake-ups (default 10; 0 skips it)
          --flood-mib N     size of the stdout flood captured into logs (default 256)
          --many N          processes for the start/list/RSS figures (default 100)
          --scale N         processes for the scale figures (default 1000)
          --apps A,B,C      apps (one process each) started from one config file for
                            the many-apps figures (default 100,500,1000; supervisord
                            runs the first two)
          --no-supervisord  skip supervisord
          --smoke           a few seconds: 5 processes, 4 MiB flood, 1 repetition,
                            no supervisord, no idle wait

        """

    /// Parses the arguments after the program name; a usage error is returned as text.
    static func parse(_ arguments: [String]) -> Result<Options, UsageError> {
        do {
            return .success(try parsing(arguments))
        } catch {
            return .failure(error)
        }
    }

    private static func parsing(_ arguments: [String]) throws(UsageError) -> Options {
        var options = Options()
        var i = 0
        func number(minimum: Int) throws(UsageError) -> Int {
            let flag = arguments[i]
            i += 1
            guard i < arguments.count, let n = Int(arguments[i]), n >= minimum else {
                throw UsageError(message: "\(flag) expects a whole number ≥ \(minimum)")
            }
            return n
        }
        while i < arguments.count {
            switch arguments[i] {
            case "--reps": options.reps = try number(minimum: 1)
            case "--idle-seconds": options.idleSeconds = try number(minimum: 0)
            case "--flood-mib": options.floodMiB = try number(minimum: 1)
            case "--many": options.many = try number(minimum: 1)
            case "--scale": options.scale = try number(minimum: 1)
            case "--apps":
                i += 1
                let sizes = i < arguments.count ? arguments[i].split(separator: ",").compactMap { Int($0) } : []
                guard sizes.count == 3, sizes.allSatisfy({ $0 >= 1 }) else {
                    throw UsageError(message: "--apps expects three whole numbers such as 100,500,1000")
                }
                (options.apps, options.appsLarge, options.appsScale) = (sizes[0], sizes[1], sizes[2])
            case "--no-supervisord": options.includesSupervisord = false
            case "--smoke":
                options.isSmoke = true
                options.reps = 1
                options.idleSeconds = 0
                options.floodMiB = 4
                options.many = 5
                options.scale = 10
                (options.apps, options.appsLarge, options.appsScale) = (3, 5, 8)
                options.rpcSeconds = 0.3
                options.listSamples = 3
                options.kills = 1
                options.includesSupervisord = false
            case "-h", "--help":
                throw UsageError(message: nil)
            default:
                throw UsageError(message: "unknown option '\(arguments[i])'")
            }
            i += 1
        }
        return options
    }

    var floodBytes: Int { floodMiB << 20 }
}

/// A command line procbench cannot follow; `message` is nil for `--help`.
struct UsageError: Error {
    var message: String?
}
