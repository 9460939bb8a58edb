import Testing

@testable import ProcdCore

@Suite struct AppSpecTests {
    /// A spec with every optional field set away from its default.
    static var full: AppSpec {
        var spec = AppSpec(name: "api", command: ["/usr/bin/node", "server.js", "--port", "80"], cwd: "/srv/api")
        spec.namespace = "prod"
        spec.script = "server.js"
        spec.interpreter = "node"
        spec.env = ["B": "2", "A": "one two", "EMPTY": ""]
        spec.instances = 4
        spec.listen = [ListenAddress(host: nil, port: 8080), ListenAddress(host: "::1", port: 9000)]
        spec.policy.autorestart = false
        spec.policy.maxRestarts = 3
        spec.policy.minUptime = .milliseconds(2500)
        spec.policy.restartDelay = .milliseconds(100)
        spec.policy.expBackoffRestartDelay = .milliseconds(150)
        spec.policy.stopExitCodes = [0, 3]
        spec.policy.killSignal = 2
        spec.policy.killTimeout = .milliseconds(5000)
        spec.policy.waitReady = true
        spec.policy.listenTimeout = .milliseconds(8000)
        spec.outFile = "/var/log/api.out"
        spec.errorFile = "/var/log/api.err"
        spec.mergeLogs = false
        spec.time = true
        spec.logDateFormat = "YYYY-MM-DD HH:mm:ss"
        spec.logMaxSize = 10 << 20
        spec.logRetain = 5
        spec.watchdog = .seconds(30)
        spec.healthURL = HealthURL.parse("http://127.0.0.1:8080/health")
        spec.healthInterval = .seconds(5)
        spec.healthRetries = 2
        spec.maxMemoryRestart = 200 << 20
        spec.cronRestart = "0 3 * * *"
        spec.watch = ["src", "config"]
        spec.ignoreWatch = ["node_modules"]
        spec.watchDelay = .milliseconds(250)
        spec.user = "www-data"
        spec.group = "33"
        return spec
    }

    @Test(arguments: [full, AppSpec(name: "web", command: ["/bin/sleep", "1"], cwd: "/")])
    func jsonRoundTrips(_ spec: AppSpec) throws {
        #expect(try AppSpec(json: spec.json) == spec)
        #expect(try AppSpec(json: JSONParser.parse(spec.json.serialized())) == spec)
    }

    @Test func jsonUsesPm2AttributeNames() throws {
        let json = Self.full.json
        for key in [
            "name", "namespace", "command", "cwd", "instances", "autorestart", "max_restarts", "min_uptime",
            "restart_delay", "exp_backoff_restart_delay", "stop_exit_codes", "kill_signal", "kill_timeout",
            "wait_ready", "listen_timeout", "listen", "script", "interpreter", "out_file", "error_file", "merge_logs",
            "time", "log_date_format", "env",
        ] {
            #expect(json[key] != nil, "missing \(key)")
        }
        #expect(json["kill_signal"] == .string("SIGINT"))
        #expect(json["min_uptime"] == .int(2500))
        #expect(json["stop_exit_codes"] == .array([.int(0), .int(3)]))
        #expect(json["listen"] == .array([.string("8080"), .string("[::1]:9000")]))
        #expect(json["env"]?.objectValue?.keys == ["A", "B", "EMPTY"], "env keys are sorted for stable files")
    }

    @Test func missingFieldsTakeTheirDefaults() throws {
        let spec = try AppSpec(json: JSONParser.parse(#"{"name":"web","command":["/bin/true"],"cwd":"/tmp","script":null}"#))
        #expect(spec == AppSpec(name: "web", command: ["/bin/true"], cwd: "/tmp"))
        #expect(spec.policy == RestartPolicy())
        #expect(spec.namespace == "default")
        #expect(spec.instances == 1)
        #expect(spec.mergeLogs)
        #expect(spec.script == nil)
    }

    @Test(arguments: [("SIGINT", Int32(2)), ("int", 2), ("2", 2), ("SIGKILL", 9), ("hup", 1)])
    func killSignalAcceptsNamesAndNumbers(_ text: String, _ number: Int32) throws {
        let json: JSON = .object(["name": .string("w"), "command": .array([.string("x")]), "cwd": .string("/"), "kill_signal": .string(text)])
        #expect(try AppSpec(json: json).policy.killSignal == number)
    }

    @Test(arguments: [
        ("[]", "app", "expected an object, got an array"),
        (#"{"command":["x"],"cwd":"/"}"#, "name", "the name is empty"),
        (#"{"name":"all","command":["x"],"cwd":"/"}"#, "name", "'all' is reserved for targeting every process"),
        (#"{"name":5,"command":["x"],"cwd":"/"}"#, "name", "expected a string, got a number"),
        (#"{"name":"w","cwd":"/"}"#, "command", "expected a non-empty array of strings"),
        (#"{"name":"w","command":[],"cwd":"/"}"#, "command", "expected a non-empty array of strings"),
        (#"{"name":"w","command":[""],"cwd":"/"}"#, "command", "expected a non-empty array of strings"),
        (#"{"name":"w","command":"ls","cwd":"/"}"#, "command", "expected an array of strings, got a string"),
        (#"{"name":"w","command":["ls",1],"cwd":"/"}"#, "command", "expected an array of strings, got a number"),
        (#"{"name":"w","command":["x"]}"#, "cwd", "expected an absolute path"),
        (#"{"name":"w","command":["x"],"cwd":"srv"}"#, "cwd", "expected an absolute path"),
        (#"{"name":"w","command":["x"],"cwd":"/","namespace":""}"#, "namespace", "the namespace is empty"),
        (#"{"name":"w","command":["x"],"cwd":"/","instances":0}"#, "instances", "0 is out of range (1 to 100000)"),
        (#"{"name":"w","command":["x"],"cwd":"/","instances":1.5}"#, "instances", "expected a whole number, got a number"),
        (#"{"name":"w","command":["x"],"cwd":"/","instances":"2"}"#, "instances", "expected a whole number, got a string"),
        (#"{"name":"w","command":["x"],"cwd":"/","env":{"A":1}}"#, "env.A", "expected a string, got a number"),
        (#"{"name":"w","command":["x"],"cwd":"/","env":[]}"#, "env", "expected an object, got an array"),
        (#"{"name":"w","command":["x"],"cwd":"/","autorestart":"yes"}"#, "autorestart", "expected true or false, got a string"),
        (#"{"name":"w","command":["x"],"cwd":"/","max_restarts":-1}"#, "max_restarts", "-1 is out of range (0 to 1000000)"),
        (#"{"name":"w","command":["x"],"cwd":"/","min_uptime":-5}"#, "min_uptime", "-5 is out of range (0 to 2147483647)"),
        (#"{"name":"w","command":["x"],"cwd":"/","kill_timeout":true}"#, "kill_timeout", "expected a whole number, got a boolean"),
        (#"{"name":"w","command":["x"],"cwd":"/","stop_exit_codes":3}"#, "stop_exit_codes", "expected an array of numbers, got a number"),
        (#"{"name":"w","command":["x"],"cwd":"/","stop_exit_codes":[1,"2"]}"#, "stop_exit_codes", "expected an array of whole numbers, got a string"),
        (#"{"name":"w","command":["x"],"cwd":"/","kill_signal":"SIGFOO"}"#, "kill_signal", "unknown signal 'SIGFOO'"),
        (#"{"name":"w","command":["x"],"cwd":"/","kill_signal":9}"#, "kill_signal", "expected a string, got a number"),
        (#"{"name":"w","command":["x"],"cwd":"/","listen":["http"]}"#, "listen", "expected PORT or HOST:PORT, got \"http\""),
        (#"{"name":"w","command":["x"],"cwd":"/","listen":70000}"#, "listen", "expected PORT or HOST:PORT, got 70000"),
        (#"{"name":"w","command":["x"],"cwd":"/","max_memory_restart":"lots"}"#, "max_memory_restart",
         "expected a size such as 10M or a number of bytes, got \"lots\""),
    ] as [(String, String, String)])
    func decodeErrorsNameTheField(_ text: String, _ field: String, _ message: String) throws {
        let json = try JSONParser.parse(text)
        #expect(throws: SpecError(field: field, message: message)) { try AppSpec(json: json) }
    }

    @Test func specErrorDescription() {
        #expect(SpecError(field: "cwd", message: "expected an absolute path").description == "cwd: expected an absolute path")
    }

    @Test(arguments: [
        ("web", String?.none), ("web-1.api_v2", nil), ("été", nil), (String(repeating: "a", count: 128), nil),
        ("", "the name is empty"), (String(repeating: "a", count: 129), "the name is longer than 128 bytes"),
        (String(repeating: "é", count: 65), "the name is longer than 128 bytes"),
        ("all", "'all' is reserved for targeting every process"),
        ("123", "a name made only of digits would read as a process id"),
        ("a/b", "the name must not contain '/', start with '-', or be '.' or '..'"),
        (".", "the name must not contain '/', start with '-', or be '.' or '..'"),
        ("..", "the name must not contain '/', start with '-', or be '.' or '..'"),
        ("-x", "the name must not contain '/', start with '-', or be '.' or '..'"),
        ("a\u{7}b", "the name contains a control character"), ("a\u{7F}", "the name contains a control character"),
        ("tab\there", "the name contains a control character"),
    ])
    func nameProblems(_ name: String, _ problem: String?) {
        #expect(AppSpec.problem(withName: name) == problem)
    }
}

@Suite struct FieldReaderTests {
    static let reader = FieldReader(.object([
        "s": .string("text"), "b": .bool(true), "n": .int(7), "f": .number(1.5), "null": .null,
        "list": .array([.string("a"), .string("b")]), "nums": .array([.int(1), .int(2)]), "o": .object(["k": .null]),
        "size": .string("10M"), "bytes": .int(4096),
    ]))

    @Test func readsPresentFieldsAndTreatsNullAsMissing() throws {
        let r = Self.reader
        #expect(try r.string("s") == "text")
        #expect(try r.bool("b") == true)
        #expect(try r.int("n") == 7)
        #expect(try r.int("n", in: 0...7) == 7)
        #expect(try r.milliseconds("n") == .milliseconds(7))
        #expect(try r.strings("list") == ["a", "b"])
        #expect(try r.ints("nums") == [1, 2])
        #expect(try r.object("o") == ["k": .null])
        #expect(try r.size("size") == 10 << 20)
        #expect(try r.size("bytes") == 4096)
        for key in ["null", "absent"] {
            #expect(try r.string(key) == nil)
            #expect(try r.bool(key) == nil)
            #expect(try r.int(key) == nil)
            #expect(try r.milliseconds(key) == nil)
            #expect(try r.strings(key) == nil)
            #expect(try r.ints(key) == nil)
            #expect(try r.object(key) == nil)
            #expect(try r.size(key) == nil)
        }
    }

    @Test func mismatchesNameTheFieldAndBothTypes() {
        let r = Self.reader
        #expect(throws: SpecError(field: "n", message: "expected a string, got a number")) { try r.string("n") }
        #expect(throws: SpecError(field: "s", message: "expected true or false, got a string")) { try r.bool("s") }
        #expect(throws: SpecError(field: "f", message: "expected a whole number, got a number")) { try r.int("f") }
        #expect(throws: SpecError(field: "n", message: "7 is out of range (8 to 9)")) { try r.int("n", in: 8...9) }
        #expect(throws: SpecError(field: "s", message: "expected an array of strings, got a string")) { try r.strings("s") }
        #expect(throws: SpecError(field: "nums", message: "expected an array of strings, got a number")) { try r.strings("nums") }
        #expect(throws: SpecError(field: "list", message: "expected an array of whole numbers, got a string")) { try r.ints("list") }
        #expect(throws: SpecError(field: "o", message: "expected an array of numbers, got an object")) { try r.ints("o") }
        #expect(throws: SpecError(field: "list", message: "expected an object, got an array")) { try r.object("list") }
        #expect(throws: SpecError(field: "b", message: "expected a size such as 10M or a number of bytes, got true")) { try r.size("b") }
    }

    @Test func aReaderOverANonObjectSeesNothing() throws {
        let r = FieldReader(.array([.int(1)]))
        #expect(r.object.count == 0)
        #expect(try r.string("0") == nil)
    }
}

@Suite struct ExecModeTests {
    @Test(arguments: [
        // asked, node, instances, resolved
        (ExecMode?.none, true, 1, ExecMode.fork), (nil, true, 4, .cluster), (.fork, true, 4, .fork),
        (.cluster, true, 1, .cluster), (.cluster, false, 4, .fork), (nil, false, 4, .fork),
    ])
    func resolves(_ asked: ExecMode?, _ node: Bool, _ instances: Int, _ expected: ExecMode) {
        #expect(ExecMode.resolve(asked: asked, isNode: node, instances: instances) == expected)
    }

    @Test(arguments: [("fork", ExecMode?.some(.fork)), ("fork_mode", .fork), ("cluster", .cluster), ("cluster_mode", .cluster), ("both", nil)])
    func parses(_ text: String, _ expected: ExecMode?) {
        #expect(ExecMode.parse(text) == expected)
    }

    @Test func aClusterModeNodeAppAwaitsItsListenAndRoundTrips() throws {
        var spec = AppSpec(name: "api", command: ["/usr/bin/node", "/srv/server.js"], cwd: "/srv")
        spec.instances = 2
        spec.execMode = .cluster
        #expect(spec.sharesListeners && spec.lifecyclePolicy.awaitsListen)
        #expect(try AppSpec(json: spec.json).execMode == .cluster)
        #expect(spec.lifecyclePolicy.clusterListen)
        #expect(spec.effectiveBalance == .roundRobin, "round-robin is the default")
        for balance in Balance.allCases {
            spec.balance = balance
            #expect(try AppSpec(json: spec.json).balance == balance)
        }
        var bad = spec.json
        if case .object(var o) = bad { o["balance"] = .string("random"); bad = .object(o) }
        #expect(throws: SpecError.self) { try AppSpec(json: bad) }
        spec.execMode = .fork
        #expect(!spec.sharesListeners && !spec.lifecyclePolicy.awaitsListen)
        #expect(NodeOptions.appendingRequire("/h/a \"b\".js", to: "--max-old-space-size=64") == #"--max-old-space-size=64 --require "/h/a \"b\".js""#)
        #expect(NodeOptions.appendingRequire("/p.js", to: nil) == #"--require "/p.js""#)
    }
}
