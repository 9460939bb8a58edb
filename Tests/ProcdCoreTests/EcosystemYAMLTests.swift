import Testing

@testable import ProcdCore

/// pm2 ecosystem files written in YAML: the same apps as their JSON twins.
@Suite struct EcosystemYAMLTests {
    private func load(_ yaml: String, environments: [String] = []) throws -> Ecosystem.Loaded {
        try Ecosystem.load(YAML.parse(yaml, file: "eco.yaml"), file: "eco.yaml", environments: environments, fromYAML: true)
    }

    @Test(arguments: [
        """
        apps:
          - name: api
            script: server.js
            args: [--port, "8080"]
            instances: max
            env:
              NODE_ENV: development
            env_production:
              NODE_ENV: production
          - name: worker
            script: worker.py
        """,
        """
        apps:
        - name: api
          script: server.js
          args: --port 8080
          instances: max
          env: {NODE_ENV: development}
          env_production: {NODE_ENV: production}
        - {name: worker, script: worker.py}
        """,
        """
        # anchors share what apps have in common
        x-defaults: &defaults
          env: {NODE_ENV: development}
          env_production: {NODE_ENV: production}
        apps:
          - <<: *defaults
            name: api
            script: server.js
            args: ['--port', '8080']
            instances: max
          - name: worker
            script: worker.py
        """,
    ])
    func readsTheSameAppsWhateverTheStyle(_ yaml: String) throws {
        let loaded = try load(yaml, environments: ["production"])
        #expect(loaded.drafts.map(\.name) == ["api", "worker"])
        #expect(loaded.drafts.first?.args == ["--port", "8080"])
        #expect(loaded.drafts.first?.instances == "max")
        #expect(loaded.drafts.first?.template.env == ["NODE_ENV": "production"])
        #expect(loaded.warnings.isEmpty, "\(loaded.warnings)")
    }

    @Test func readsOneAppAtTheTop() throws {
        let loaded = try load("name: solo\nscript: ./run.sh\nautorestart: false\nmax_restarts: 3\n")
        #expect(loaded.drafts.map(\.name) == ["solo"])
        #expect(loaded.drafts.first?.template.policy.autorestart == false)
        #expect(loaded.drafts.first?.template.policy.maxRestarts == 3)
    }

    @Test(arguments: [("no", false), ("off", false), ("yes", true), ("On", true)])
    func readsYAML11BooleanWordsWithAWarning(_ word: String, _ meaning: Bool) throws {
        let loaded = try load("apps:\n  - name: a\n    script: a\n    autorestart: \(word)\n")
        #expect(loaded.drafts.first?.template.policy.autorestart == meaning)
        #expect(loaded.warnings == ["eco.yaml: app 'a' (#1): 'autorestart': \(word) is a string in YAML 1.2, read as \(meaning); write \(meaning)"])
    }

    @Test func jsonStillRefusesBooleanWords() {
        #expect(throws: ConfigError.self) { try Ecosystem.load(JSONParser.parse(#"{"script":"a","autorestart":"no"}"#), file: "eco.json") }
    }

    @Test func numbersAndBooleansInEnvBecomeText() throws {
        let loaded = try load("script: a\nenv:\n  PORT: 8080\n  DEBUG: true\n  RATIO: 0.5\n  HEX: 0x10\n  QUOTED: '007'\n  BLANK: ''\n")
        #expect(loaded.drafts.first?.template.env == ["PORT": "8080", "DEBUG": "true", "RATIO": "0.5", "HEX": "16", "QUOTED": "007", "BLANK": ""])
        // `KEY:` alone is null, not empty text: said rather than guessed.
        let error = #expect(throws: ConfigError.self) { try load("script: a\nenv:\n  EMPTY:\n") }
        #expect(error?.description == "eco.yaml: app #1: 'env.EMPTY': expected a string, number or boolean, got null")
    }
}
