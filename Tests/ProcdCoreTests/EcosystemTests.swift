import Testing

@testable import ProcdCore

@Suite struct EcosystemTests {
    private func load(_ text: String, environments: [String] = []) throws -> Ecosystem.Loaded {
        try Ecosystem.load(JSONParser.parse(text), file: "eco.json", environments: environments)
    }

    @Test(arguments: [
        #"{"apps":[{"script":"a.js"},{"script":"b.py","name":"bee"}]}"#, #"[{"script":"a.js"},{"script":"b.py","name":"bee"}]"#,
    ])
    func loadsAppsFromAnObjectOrAnArray(_ text: String) throws {
        let loaded = try load(text)
        #expect(loaded.drafts.map(\.script) == ["a.js", "b.py"])
        #expect(loaded.drafts.map(\.name) == [nil, "bee"])
        #expect(loaded.warnings.isEmpty)
    }

    @Test func loadsOneAppObject() throws {
        #expect(try load(#"{"script":"server","args":"--port 80 'a b'"}"#).drafts.first?.args == ["--port", "80", "a b"])
    }

    @Test func readsPm2AttributesIntoTheTemplate() throws {
        let text = #"""
            {"apps":[{"name":"api","script":"server.js","args":["-v",3],"node_args":"--inspect","cwd":"srv",
              "instances":"max","exec_mode":"cluster","env":{"A":"1","N":2,"B":true},"env_production":{"A":"prod"},
              "namespace":"web","listen":[8080,"127.0.0.1:9000"],"autorestart":"false","max_restarts":"5",
              "min_uptime":"2s","restart_delay":250,"kill_timeout":"3000","stop_exit_codes":0,"kill_signal":"SIGINT",
              "output":"/o.log","combine_logs":false,"log_max_size":"10M","cron":"0 3 * * *","watch":true,
              "ignore_watch":"tmp","max_memory_restart":"200M","wait_ready":true}]}
            """#
        let draft = try #require(load(text, environments: ["production"]).drafts.first)
        #expect(draft.name == "api")
        #expect(draft.args == ["-v", "3"])
        #expect(draft.interpreterArgs == ["--inspect"])
        #expect(draft.cwd == "srv")
        #expect(draft.instances == "max")
        let t = draft.template
        #expect(t.env == ["A": "prod", "N": "2", "B": "true"])
        #expect(t.namespace == "web")
        #expect(t.listen == [ListenAddress(host: nil, port: 8080), ListenAddress(host: "127.0.0.1", port: 9000)])
        #expect(!t.policy.autorestart)
        #expect(t.policy.maxRestarts == 5)
        #expect(t.policy.minUptime == .seconds(2))
        #expect(t.policy.restartDelay == .milliseconds(250))
        #expect(t.policy.killTimeout == .seconds(3))
        #expect(t.policy.stopExitCodes == [0])
        #expect(t.policy.killSignal == 2)
        #expect(t.policy.waitReady)
        #expect(t.outFile == "/o.log")
        #expect(!t.mergeLogs)
        #expect(t.logMaxSize == 10 << 20)
        #expect(t.cronRestart == "0 3 * * *")
        #expect(t.watch == [])
        #expect(t.ignoreWatch == ["tmp"])
        #expect(t.maxMemoryRestart == 200 << 20)
    }

    @Test(arguments: [
        (#"{"apps":[{"script":"a","name":"a","instnaces":3}]}"#, "instnaces", "instances"),
        (#"[{"script":"a","name":"a","autorestrat":false}]"#, "autorestrat", "autorestart"),
        (#"{"script":"a","name":"a","kill_timout":"3s"}"#, "kill_timout", "kill_timeout"),
    ])
    func aMisspeltAttributeIsAnErrorThatNamesTheKnownOne(_ text: String, _ key: String, _ known: String) throws {
        #expect(throws: ConfigError.self) { try load(text) }
        do {
            _ = try load(text)
        } catch let error as ConfigError {
            #expect(error.field == key)
            #expect(error.description.contains("did you mean '\(known)'?"), "\(error)")
            #expect(error.description.contains("--lenient"), "\(error)")
        }
    }

    @Test func leniencyFromTheCallerOrTheFileTurnsAMisspellingIntoAWarning() throws {
        let typo = #"{"apps":[{"script":"a","name":"a","instnaces":3}]}"#
        let lenient = try Ecosystem.load(JSONParser.parse(typo), file: "eco.json", lenient: true)
        #expect(lenient.drafts.first?.instances == nil)
        #expect(lenient.warnings == ["eco.json: app 'a' (#1): unknown attribute 'instnaces' (did you mean 'instances'?); ignored"])
        let inFile = try load(#"{"strict":false,"apps":[{"script":"a","name":"a","instnaces":3}]}"#)
        #expect(inFile.warnings == lenient.warnings)
        let single = try load(#"{"strict":false,"script":"a","name":"a","instnaces":3}"#)
        #expect(single.warnings == lenient.warnings)
        #expect(throws: ConfigError.self) { try load(#"{"strict":"no","apps":[{"script":"a"}]}"#) }
        #expect(throws: ConfigError.self) { try load(#"{"strict":true,"apps":[{"script":"a","instnaces":3}]}"#) }
    }

    @Test(arguments: ["pid", "err", "autostart", "out_log"])
    func pm2AttributesCloseToKnownOnesAreNotMisspellings(_ key: String) throws {
        let loaded = try load(#"{"apps":[{"script":"a","name":"a","\#(key)":"x"}]}"#)
        #expect(loaded.warnings == ["eco.json: app 'a' (#1): '\(key)' is not supported by procd yet; ignored"])
    }

    @Test(arguments: ["my app", "a/b", "caf\u{e9}", "a*b", "a$b", "web,api"])
    func aNameOutsideLettersDigitsAndPunctuationIsRefused(_ name: String) throws {
        #expect(throws: ConfigError.self) { try load(#"[{"script":"a","name":"\#(name)"}]"#) }
        #expect(AppSpec.problem(withNewName: name) != nil)
    }

    @Test(arguments: ["web", "api-2", "worker_1", "svc.v2", "team@job", "ns:app"])
    func aNameOfLettersDigitsAndPunctuationIsAccepted(_ name: String) throws {
        #expect(try load(#"[{"script":"a","name":"\#(name)"}]"#).drafts.first?.name == name)
    }

    @Test func warnsAboutWhatItIgnores() throws {
        let loaded = try load(#"{"apps":[{"script":"a","name":"a","vizion":true,"colour":"red","treekill":false}],"deploy":{}}"#)
        #expect(loaded.warnings == [
            "eco.json: top-level 'deploy' is not supported by procd; ignored",
            "eco.json: app 'a' (#1): 'vizion' is not supported by procd yet; ignored",
            "eco.json: app 'a' (#1): unknown attribute 'colour'; ignored",
        ])
    }

    @Test(arguments: [
        ("3", "eco.json: expected an object with 'apps', an array of apps, or one app object; got a number"),
        ("[]", "eco.json: no apps are defined"),
        (#"[1]"#, "eco.json: app #1: expected an object, got a number"),
        (#"[{"name":"x"}]"#, "eco.json: app 'x' (#1): 'script' is missing: every app needs the script or program to run"),
        (#"[{"script":"a","name":"all"}]"#, "eco.json: app 'all' (#1): 'name': 'all' is reserved for targeting every process"),
        (#"[{"script":"a","instances":"lots"}]"#, "eco.json: app #1: 'instances': expected a number, \"max\" or -1, got lots"),
        (#"[{"script":"a","exec_mode":"thread"}]"#, "eco.json: app #1: 'exec_mode': expected fork or cluster, got 'thread'"),
        (#"[{"script":"a","max_restarts":-2}]"#, "eco.json: app #1: 'max_restarts': -2 is out of range (0 to 1000000)"),
        (#"[{"script":"a","min_uptime":"soon"}]"#, "eco.json: app #1: 'min_uptime': expected milliseconds or a duration such as \"30s\", got \"soon\""),
        (#"[{"script":"a","env":{"A":[]}}]"#, "eco.json: app #1: 'env.A': expected a string, number or boolean, got an array"),
        (#"[{"script":"a","args":"'open"}]"#, "eco.json: app #1: 'args': unterminated quote in ''open'"),
        (#"[{"script":"a","stop_exit_codes":[256]}]"#, "eco.json: app #1: 'stop_exit_codes': expected exit codes 0 to 255, got 256"),
        (#"[{"script":"a","cron_restart":"61 * * * *"}]"#, "eco.json: app #1: 'cron_restart': invalid minute '61' (expected 0-59)"),
        (#"[{"script":"a.js"},{"script":"b/a.py"}]"#, "eco.json: app 'a': 'name': two apps have this name; names must be unique"),
    ])
    func errorsNameTheFileTheAppAndTheField(_ text: String, _ message: String) {
        #expect {
            try load(text)
        } throws: { error in
            (error as? ConfigError)?.description == message
        }
    }

    @Test func readsAProcfile() throws {
        let loaded = try Ecosystem.procfile("# comment\nweb: node server.js --port $PORT\n\nworker:python3 worker.py\n", file: "Procfile")
        #expect(loaded.drafts.map(\.name) == ["web", "worker"])
        #expect(loaded.drafts.map(\.script) == ["node server.js --port $PORT", "python3 worker.py"])
        #expect(loaded.drafts.allSatisfy { $0.isCommandLine })
    }

    @Test func readsAProcfileWithCRLFLines() throws {
        let loaded = try Ecosystem.procfile("web: node server.js\r\nworker: ./work\r\n", file: "Procfile")
        #expect(loaded.drafts.map(\.name) == ["web", "worker"])
        #expect(loaded.drafts.map(\.script) == ["node server.js", "./work"])
    }

    @Test(arguments: [
        ("web node", "Procfile:1: expected 'name: command'"), ("\n\nall: x", "Procfile:3: app 'all': 'name': 'all' is reserved for targeting every process"),
        ("web:", "Procfile:1: app 'web': the command is empty"), ("# only\n", "Procfile: no processes are defined"),
    ])
    func procfileErrorsNameTheLine(_ text: String, _ message: String) {
        #expect {
            try Ecosystem.procfile(text, file: "Procfile")
        } throws: { error in
            (error as? ConfigError)?.description == message
        }
    }
}
