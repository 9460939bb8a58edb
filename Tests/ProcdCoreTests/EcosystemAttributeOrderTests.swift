import Testing

@testable import ProcdCore

/// An entry is read in one fixed order of attributes, whatever their order in the file,
/// and the first problem met is the one reported.
@Suite struct EcosystemAttributeOrderTests {
    private func load(_ text: String) throws -> Ecosystem.Loaded {
        try Ecosystem.load(JSONParser.parse(text), file: "eco.json")
    }

    @Test(arguments: [
        // What the app runs and its environment first, then the attribute table's order.
        (#"{"script":"a","exec_mode":"thread","env":{"A":[]}}"#, "eco.json: app #1: 'env.A': expected a string, number or boolean, got an array"),
        (#"{"script":"a","kill_signal":"SIGNOPE","exec_mode":"thread"}"#, "eco.json: app #1: 'exec_mode': expected fork or cluster, got 'thread'"),
        (#"{"name":"x","script":"a","autorestart":"maybe","instances":"lots"}"#,
         "eco.json: app 'x' (#1): 'instances': expected a number, \"max\" or -1, got lots"),
        (#"{"script":"a","namespace":[],"env_file":[]}"#, "eco.json: app #1: 'env_file': expected a string, got an array"),
        (#"{"script":"a","gid":[],"watch_delay":"x","health_retries":0}"#, "eco.json: app #1: 'health_retries': 0 is out of range (1 to 1000)"),
        (#"{"script":"a","kill_signal":"SIGNOPE","listen_timeout":"soon"}"#,
         "eco.json: app #1: 'listen_timeout': expected milliseconds or a duration such as \"30s\", got \"soon\""),
        // An alias is read, and its problems reported, even when the attribute it stands for is set.
        (#"{"script":"a","interpreter_args":"-x","node_args":"'open"}"#, "eco.json: app #1: 'node_args': unterminated quote in ''open'"),
        (#"{"script":"a","out_file":"/o","output":[]}"#, "eco.json: app #1: 'output': expected a string, got an array"),
        (#"{"script":"a","merge_logs":true,"combine_logs":"yes"}"#, "eco.json: app #1: 'combine_logs': expected true or false, got \"yes\""),
    ])
    func reportsTheFirstProblemInReadingOrder(_ text: String, _ message: String) {
        let error = #expect(throws: ConfigError.self) { try load(text) }
        #expect(error?.description == message)
    }

    @Test(arguments: [
        (#"{"script":"a","log_max_size":"big"}"#, "eco.json: app #1: 'log_max_size': expected a size such as \"10M\", got \"big\""),
        (#"{"script":"a","max_memory_restart":0}"#, "eco.json: app #1: 'max_memory_restart': expected a size such as \"200M\", got 0"),
        (#"{"script":"a","cron":"61 * * * *"}"#, "eco.json: app #1: 'cron': invalid minute '61' (expected 0-59)"),
        (#"{"script":"a","health_interval":50}"#, "eco.json: app #1: 'health_interval': must be at least 100 ms"),
        (#"{"script":"a","health_url":"ftp://x"}"#, "eco.json: app #1: 'health_url': expected http://HOST:PORT/path, got 'ftp://x'"),
        (#"{"script":"a","kill_signal":"SIGNOPE"}"#, "eco.json: app #1: 'kill_signal': unknown signal 'SIGNOPE'"),
        (#"{"script":"a","watch":3}"#, "eco.json: app #1: 'watch': expected true, a path or an array of paths, got a number"),
        (#"{"script":"a","watch":["src",1]}"#, "eco.json: app #1: 'watch': expected paths, got a number"),
        (#"{"script":"a","ignore_watch":3}"#, "eco.json: app #1: 'ignore_watch': expected a pattern or an array of patterns, got a number"),
        (#"{"script":"a","listen":[true]}"#, "eco.json: app #1: 'listen': expected PORT or HOST:PORT, got true"),
    ])
    func errorsOfEachAttributeGroup(_ text: String, _ message: String) {
        let error = #expect(throws: ConfigError.self) { try load(text) }
        #expect(error?.description == message)
    }

    /// Only max_memory_restart must be above zero.
    @Test func aZeroLogSizeIsAccepted() throws {
        #expect(try load(#"{"script":"a","log_max_size":0}"#).drafts.first?.template.logMaxSize == 0)
    }
}
