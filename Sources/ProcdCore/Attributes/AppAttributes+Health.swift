/// Health checks and what else restarts a process: memory, a schedule, file changes.
extension AppAttributes {
    static let health: [AppAttribute] = [
        AppAttribute("watchdog", type: .duration,
                     flag: .value("watchdog", "MS", "restart unless the app sends WATCHDOG=1 on NOTIFY_SOCKET every MS", completion: .number),
                     group: .health, label: "watchdog", display: .milliseconds, summary: "restart unless the app sends WATCHDOG=1 this often",
                     exportNote: "sd_notify heartbeat", example: 3000,
                     read: { input, spec throws(AttributeError) in spec.watchdog = try input.duration(atLeast: .milliseconds(10)) },
                     write: { $0.watchdog.map { .int(Int($0.milliseconds)) } }),
        AppAttribute("health_url", type: .text, flag: .value("health-url", "URL", "HTTP GET this URL every interval; failures in a row restart the app"),
                     group: .health, label: "health url", summary: "HTTP GET this URL every interval; failures in a row restart the app",
                     exportNote: "HTTP health check", example: "http://127.0.0.1:8080/health", read: { input, spec throws(AttributeError) in
                         let text = try input.text()
                         guard let url = HealthURL.parse(text) else { throw AttributeError("expected http://HOST:PORT/path, got '\(text)'") }
                         spec.healthURL = url
                     }, write: { $0.healthURL.map { .string($0.description) } }),
        .duration("health_interval", \.healthInterval, option: "health-interval", "time between health checks (default 10000)",
                  group: .health, label: "health interval", summary: "time between health checks (default 10 s)",
                  atLeast: .milliseconds(100), example: 2000),
        AppAttribute("health_retries", type: .count,
                     flag: .value("health-retries", "N", "failed health checks in a row before a restart (default 3)", completion: .number),
                     group: .health, label: "health retries", summary: "failed health checks in a row before a restart (default 3)",
                     example: 5, read: { input, spec throws(AttributeError) in spec.healthRetries = try input.count(1...1000) },
                     write: { .int($0.healthRetries) }),
        AppAttribute("max_memory_restart", type: .size,
                     flag: .value("max-memory-restart", "SIZE", "restart when the process tree's memory passes SIZE (e.g. 200M)"),
                     group: .health, label: "max memory", display: .bytes, summary: "restart when the process tree's memory passes this size",
                     exportNote: "restart above a memory size", example: "200M",
                     read: { input, spec throws(AttributeError) in spec.maxMemoryRestart = try input.size(example: "200M", atLeast: 1) },
                     write: { $0.maxMemoryRestart.map { .int(Int($0)) } }),
        AppAttribute("cron_restart", aliases: ["cron"], type: .text,
                     flag: .value("cron-restart", "CRON", "restart (or start) on a schedule, e.g. \"0 3 * * *\""),
                     group: .health, label: "cron restart", summary: "restart (or start) on a schedule, e.g. \"0 3 * * *\"",
                     exportNote: "scheduled restart", example: "0 3 * * *", read: { input, spec throws(AttributeError) in
                         spec.cronRestart = try input.schedule()
                     }, write: { $0.cronRestart.map(JSON.string) }),
        AppAttribute("watch", type: .list,
                     flag: .value("watch", "PATH", "restart when files under PATH (default: the cwd) change (repeatable)",
                                  repeatable: true, completion: .file, optionalValue: true, paths: true),
                     group: .health, label: "watch", summary: "restart when files under these paths change (true: the cwd)",
                     exportNote: "restart on file changes", example: ["/srv/app/src"],
                     read: { input, spec throws(AttributeError) in spec.watch = try input.watchedPaths() },
                     write: { $0.watch.map { .array($0.map(JSON.string)) } }),
        AppAttribute("ignore_watch", type: .list,
                     flag: .value("ignore-watch", "PATTERN", "paths not to watch (node_modules and .git always; repeatable)", repeatable: true),
                     group: .health, label: "ignore watch", summary: "paths not to watch (node_modules and .git always)",
                     example: ["tmp"], read: { input, spec throws(AttributeError) in
                         spec.ignoreWatch = try input.texts("a pattern or an array of patterns")
                     }, write: { $0.ignoreWatch.isEmpty ? nil : .array($0.ignoreWatch.map(JSON.string)) }),
        .duration("watch_delay", \.watchDelay, option: "watch-delay", "wait for changes to settle this long before restarting (default 1000)",
                  group: .health, label: "watch delay", summary: "wait for changes to settle this long (default 1000 ms)", example: 300),
    ]
}

extension AttributeInput {
    /// `true` (the cwd: no paths), `false` (off), a path or paths; empty paths are dropped.
    func watchedPaths() throws(AttributeError) -> [String]? {
        switch value {
        case .bool(let on) where !isWire: return on ? [] : nil
        case .string(let path) where !isWire: return path.isEmpty ? [] : [path]
        case .array(let items):
            var paths: [String] = []
            for item in items {
                guard let text = item.stringValue else {
                    throw AttributeError(isWire ? "expected an array of strings, got \(item.typeName)" : "expected paths, got \(item.typeName)")
                }
                if !text.isEmpty { paths.append(text) }
            }
            return paths
        default:
            if isWire { throw AttributeError("expected an array of strings, got \(value.typeName)") }
            throw AttributeError("expected true, a path or an array of paths, got \(value.typeName)")
        }
    }
}

extension AttributeInput {
    /// A cron schedule, checked.
    func schedule() throws(AttributeError) -> String {
        let text = try text()
        do throws(Cron.Failure) {
            _ = try Cron.parse(text)
        } catch {
            throw AttributeError(error.message)
        }
        return text
    }
}
