import Testing

@testable import ProcdCore

/// process-compose files read as the pm2 apps they mean.
@Suite struct ProcessComposeTests {
    private func translate(_ yaml: String) throws -> ProcessCompose.Translation {
        try ProcessCompose.ecosystem(YAML.parse(yaml, file: "pc.yaml"), file: "pc.yaml")
    }

    private func apps(_ yaml: String) throws -> [JSONObject] {
        try translate(yaml).document["apps"]?.arrayValue?.compactMap(\.objectValue) ?? []
    }

    private func failure(_ yaml: String) -> String {
        do {
            _ = try translate(yaml)
            return ""
        } catch {
            return "\(error)"
        }
    }

    @Test(arguments: [
        ("processes: {a: {command: x}}", true),
        ("processes: {a: {command: x}}\napps: []", false),
        ("apps: [{script: a}]", false),
        ("processes: [a]", false),
        ("- a", false),
    ])
    func tellsAProcessComposeFileByItsProcesses(yaml: String, expected: Bool) throws {
        #expect(ProcessCompose.isProcessCompose(try YAML.parse(yaml, file: "pc.yaml")) == expected)
    }

    @Test func aCommandRunsThroughTheShellWithProcessComposesDefaults() throws {
        let app = try #require(try apps("processes:\n  web:\n    command: echo hi && sleep 9\n").first)
        #expect(app["name"] == .string("web"))
        #expect(app["script"] == .string("bash"))
        #expect(app["args"] == .array([.string("-c"), .string("echo hi && sleep 9")]))
        #expect(app["interpreter"] == .string("none"))
        #expect(app["autorestart"] == .bool(false), "process-compose restarts nothing unless asked")
        #expect(app["restart_delay"] == .int(1000))
        #expect(app["kill_timeout"] == .int(10_000))
        #expect(app["instance_var"] == .string("PC_REPLICA_NUM"))
    }

    @Test func theShellAndTheEntrypointReplaceBashC() throws {
        let apps = try apps("""
            shell: {shell_command: zsh, shell_argument: -ec}
            processes:
              a: {command: make}
              b: {entrypoint: [/usr/bin/env, python3, -u, app.py]}
            """)
        #expect(apps[0]["script"] == .string("zsh") && apps[0]["args"] == .array([.string("-ec"), .string("make")]))
        #expect(apps[1]["script"] == .string("/usr/bin/env"))
        #expect(apps[1]["args"] == .array(["python3", "-u", "app.py"].map { .string($0) }))
    }

    @Test func environmentIsGlobalThenPerProcessInEitherForm() throws {
        let apps = try apps("""
            environment: [A=1, B=2]
            processes:
              a: {command: x, environment: [B=3, "C=x=y"]}
              b: {command: x, environment: {D: 4}}
            """)
        #expect(apps[0]["env"] == .object(["A": .string("1"), "B": .string("3"), "C": .string("x=y")]))
        #expect(apps[1]["env"] == .object(["A": .string("1"), "B": .string("2"), "D": .string("4")]))
    }

    @Test(arguments: [
        ("{restart: always}", true, nil as [Int]?),
        ("{restart: on_failure}", true, [0]),
        ("{restart: on-failure}", true, [0]),
        ("{restart: \"no\"}", false, nil),
        ("{restart: exit_on_failure}", false, nil),
    ])
    func availabilityMapsOntoTheRestartPolicy(availability: String, autorestart: Bool, stopCodes: [Int]?) throws {
        let app = try #require(try apps("processes:\n  a: {command: x, availability: \(availability)}\n").first)
        #expect(app["autorestart"] == .bool(autorestart))
        #expect(app["stop_exit_codes"] == stopCodes.map { .array($0.map { .int($0) }) })
    }

    @Test func backoffMaxRestartsAndShutdownBecomeProcdsFields() throws {
        let app = try #require(try apps("""
            processes:
              a:
                command: x
                availability: {restart: always, backoff_seconds: 0.5, max_restarts: 0}
                shutdown: {signal: 2, timeout_seconds: 3}
              b:
                command: x
                availability: {max_restarts: 4}
                shutdown: {signal: SIGQUIT}
            """).first)
        #expect(app["restart_delay"] == .int(500))
        #expect(app["max_restarts"] == .int(1_000_000), "0 is no limit in process-compose")
        #expect(app["kill_signal"] == .string("SIGINT"))
        #expect(app["kill_timeout"] == .int(3000))
        let b = try #require(try apps("processes:\n  b: {command: x, availability: {max_restarts: 4}, shutdown: {signal: SIGQUIT}}\n").first)
        #expect(b["max_restarts"] == .int(4) && b["kill_signal"] == .string("SIGQUIT"))
    }

    @Test func stackKeysPassToTheEcosystemReaderAsTheyAre() throws {
        let app = try #require(try apps("""
            processes:
              api:
                command: x
                working_dir: srv
                namespace: shop
                replicas: 3
                depends_on: {db: {condition: process_healthy}}
                ready_log_line: listening
                readiness_probe: {exec: {command: pg_isready}, period_seconds: 2}
                liveness_probe: {http_get: {host: 127.0.0.1, port: 8080, path: /health}}
                log_location: ./api.log
              db: {command: x}
            """).first)
        #expect(app["cwd"] == .string("srv") && app["namespace"] == .string("shop") && app["instances"] == .int(3))
        #expect(app["depends_on"]?["db"]?["condition"] == .string("process_healthy"))
        #expect(app["ready_log_line"] == .string("listening"))
        #expect(app["readiness_probe"]?["exec"]?["command"] == .string("pg_isready"))
        #expect(app["liveness_probe"]?["http_get"]?["port"] == .int(8080))
        #expect(app["out_file"] == .string("./api.log") && app["error_file"] == .string("./api.log"))
    }

    @Test func unsupportedKeysAreNamedInOneWarningAndDisabledProcessesAreLeftOut() throws {
        let translation = try translate("""
            log_level: debug
            x-shared: &shared {command: x}
            processes:
              a: {command: x, description: the a, is_tty: true}
              b: {command: x, description: the b}
              c: {command: x, disabled: true}
              d: {command: x, is_daemon: true, shutdown: {command: stop-it}}
            """)
        let names = translation.document["apps"]?.arrayValue?.compactMap { $0["name"]?.stringValue }
        #expect(names == ["a", "b", "d"])
        #expect(translation.warnings.first == "pc.yaml: not supported by procd, ignored: log_level; description (a, b); is_tty (a)")
        #expect(translation.warnings.contains("pc.yaml: 'c' is disabled; not started"))
        #expect(translation.warnings.contains { $0.contains("'d': is_daemon") && $0.contains("foreground") })
        let d = translation.document["apps"]?.arrayValue?.last
        #expect(d?["stop_command"] == .string("stop-it"), "shutdown.command is procd's stop_command")
    }

    @Test(arguments: [
        ("processes:\n  a: {command: x, depends_on: {b: {condition: process_started}}}\n  b: {command: y, disabled: true}\n",
         "pc.yaml: app 'a': 'depends_on': 'b' is disabled; enable it or remove the dependency"),
        ("processes:\n  a: {environment: [A=1]}\n", "each process needs a command"),
        ("processes:\n  a: {command: x, entrypoint: [y]}\n", "give a command or an entrypoint, not both"),
        ("processes:\n  a: {command: x, environment: [NOEQUALS]}\n", "expected KEY=VALUE, got \"NOEQUALS\""),
        ("processes:\n  a: {command: x, availability: {restart: sometimes}}\n", "expected always, on_failure, exit_on_failure or no"),
        ("processes:\n  a: {command: x, replicas: 0}\n", "'replicas': expected a number from 1, got 0"),
        ("processes:\n  a: {command: x, shutdown: {signal: 99}}\n", "expected a signal number 1 to 64, got 99"),
        ("processes:\n  a: {command: x, disabled: true}\n", "every process is disabled; nothing to start"),
        ("processes:\n  a: 3\n", "app 'a': expected a mapping, got a number"),
    ])
    func mistakesAreNamed(yaml: String, message: String) {
        let text = failure(yaml)
        #expect(text.contains(message), "\(text)")
    }

    @Test func theTranslationLoadsAsAnEcosystemWithReplicasAsInstances() throws {
        let translation = try translate("processes:\n  web: {command: serve, replicas: 2, namespace: shop}\n")
        let loaded = try Ecosystem.load(translation.document, file: "pc.yaml", fromYAML: true)
        let draft = try #require(loaded.drafts.first)
        #expect(draft.instances == "2" && draft.template.instanceVar == "PC_REPLICA_NUM")
        #expect(draft.template.namespace == "shop" && !draft.template.policy.autorestart)
        #expect(loaded.warnings.isEmpty, "\(loaded.warnings)")
    }
}
