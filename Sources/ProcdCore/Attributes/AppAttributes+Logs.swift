/// Where output goes, how lines are stamped, and when files rotate.
extension AppAttributes {
    static let logs: [AppAttribute] = [
        AppAttribute("time", type: .boolean, flag: .setting("time", true, "prefix each log line with a timestamp (ISO-8601 UTC)"),
                     group: .logs, label: "timestamps", summary: "prefix each log line with a timestamp",
                     example: true, read: { input, spec throws(AttributeError) in spec.time = try input.bool() },
                     write: { .bool($0.time) }),
        AppAttribute("log_date_format", type: .text,
                     flag: .value("log-date-format", "FORMAT", "timestamp format for --time, e.g. 'YYYY-MM-DD HH:mm:ss Z' (local time)"),
                     group: .logs, label: "date format", summary: "the timestamps' format, e.g. 'YYYY-MM-DD HH:mm:ss Z' (local time)",
                     example: "HH:mm:ss", read: { input, spec throws(AttributeError) in spec.logDateFormat = try input.text() },
                     write: { $0.logDateFormat.map(JSON.string) }),
        AppAttribute("out_file", aliases: ["output"], type: .text,
                     flag: .value("output", short: "o", "FILE", "stdout log file (default: logs/NAME-out.log)", completion: .file, paths: true),
                     group: .logs, label: "out file", display: .withTheProcess, summary: "the stdout log file (default: logs/NAME-out.log)",
                     example: "/var/log/app.out", read: { input, spec throws(AttributeError) in spec.outFile = try input.text() },
                     write: { $0.outFile.map(JSON.string) }),
        AppAttribute("error_file", aliases: ["error"], type: .text,
                     flag: .value("error", short: "e", "FILE", "stderr log file (default: logs/NAME-err.log)", completion: .file, paths: true),
                     group: .logs, label: "error file", display: .withTheProcess, summary: "the stderr log file (default: logs/NAME-err.log)",
                     example: "/var/log/app.err", read: { input, spec throws(AttributeError) in spec.errorFile = try input.text() },
                     write: { $0.errorFile.map(JSON.string) }),
        AppAttribute("merge_logs", aliases: ["combine_logs"], type: .boolean,
                     flag: .setting("no-merge-logs", false, "one log file per instance (NAME-out-N.log)"),
                     group: .logs, label: "merge logs", summary: "one log file for all instances (default true)",
                     example: false, read: { input, spec throws(AttributeError) in spec.mergeLogs = try input.bool() },
                     write: { .bool($0.mergeLogs) }),
        AppAttribute("log_max_size", type: .size, flag: .value("log-max-size", "SIZE", "rotate a log file when it reaches SIZE (e.g. 10M)"),
                     group: .logs, label: "max size", display: .bytes, summary: "rotate a log file when it reaches this size (e.g. 10M)",
                     example: "10M", read: { input, spec throws(AttributeError) in
                         // Zero is accepted from files and the wire; the option wants a size.
                         spec.logMaxSize = try input.size(example: "10M", atLeast: input.source == .commandLine ? 1 : 0)
                     }, write: { $0.logMaxSize.map { .int(Int($0)) } }),
        AppAttribute("log_retain", type: .count, flag: .value("log-retain", "N", "rotated files kept beside the live one (default 5)", completion: .number),
                     group: .logs, label: "retain", summary: "rotated files kept beside the live one (default 5)",
                     example: 2, read: { input, spec throws(AttributeError) in spec.logRetain = try input.count(0...1000) },
                     write: { $0.logRetain.map(JSON.int) }),
    ]
}
