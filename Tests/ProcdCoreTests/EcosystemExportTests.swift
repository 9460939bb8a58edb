import Testing

@testable import ProcdCore

/// `export ecosystem`: what each format holds, and that the ecosystem reader gets the
/// same apps back.
@Suite struct EcosystemExportTests {
    private var api: AppSpec {
        var spec = AppSpec(name: "api", command: ["/usr/bin/node", "--inspect", "/srv/api/server.js", "--port", "80"], cwd: "/srv/api")
        spec.script = "/srv/api/server.js"
        spec.interpreter = "node"
        spec.instances = 4
        spec.execMode = .cluster
        spec.env = ["NODE_ENV": "production", "EMPTY": "", "ODD": "yes: no # not a comment"]
        spec.policy.autorestart = false
        spec.policy.killTimeout = .seconds(5)
        spec.listen = [ListenAddress(host: nil, port: 8080)]
        spec.watch = []
        return spec
    }

    private var job: AppSpec {
        var spec = AppSpec(name: "job", command: ["/bin/sh", "-c", "echo 'hi'; sleep 1"], cwd: "/tmp")
        spec.namespace = "batch"
        return spec
    }

    @Test(arguments: [
        (EcosystemExport.Format.json, "ecosystem.json"), (.yaml, "ecosystem.yaml"), (.js, "ecosystem.config.js"),
    ])
    func namesTheFileAsStartRecognisesIt(_ format: EcosystemExport.Format, _ name: String) {
        let result = EcosystemExport.export([job], format: format)
        #expect(result.files.map(\.name) == [name])
        #expect(result.printed == result.files.first?.contents)
        #expect(EcosystemExport.Format.guess(fromFileName: "out/" + name) == format)
    }

    @Test func splitsTheCommandAndLeavesDefaultsOut() throws {
        let app = EcosystemExport.app(api)
        #expect(app.objectValue?.keys == [
            "name", "script", "interpreter", "interpreter_args", "args", "cwd", "instances", "listen", "autorestart", "kill_timeout", "watch", "env",
        ])
        #expect(app["interpreter_args"] == .array([.string("--inspect")]))
        #expect(app["args"] == .array([.string("--port"), .string("80")]))
        let plain = EcosystemExport.app(job)
        #expect(plain.objectValue?.keys == ["name", "script", "args", "cwd", "namespace"])
        #expect(plain["args"] == .array([.string("-c"), .string("echo 'hi'; sleep 1")]))
    }

    @Test(arguments: [EcosystemExport.Format.json, .yaml])
    func readsBackAsTheSameApps(_ format: EcosystemExport.Format) throws {
        let text = try #require(EcosystemExport.export([api, job], format: format).printed)
        let document = format == .yaml ? try YAML.parse(text, file: "e.yaml") : try JSONParser.parse(text)
        let loaded = try Ecosystem.load(document, file: "e", fromYAML: format == .yaml)
        #expect(loaded.warnings.isEmpty, "\(loaded.warnings)")
        let drafts = loaded.drafts
        #expect(drafts.map(\.name) == ["api", "job"])
        #expect(drafts[0].script == "/srv/api/server.js" && drafts[0].interpreter == "node" && drafts[0].interpreterArgs == ["--inspect"])
        #expect(drafts[0].args == ["--port", "80"] && drafts[0].cwd == "/srv/api" && drafts[0].instances == "4")
        #expect(drafts[0].template.env == api.env)
        #expect(!drafts[0].template.policy.autorestart && drafts[0].template.policy.killTimeout == .seconds(5))
        #expect(drafts[0].template.listen == api.listen && drafts[0].template.watch == [] && drafts[0].template.execMode == nil)
        #expect(drafts[1].script == "/bin/sh" && drafts[1].args == ["-c", "echo 'hi'; sleep 1"] && drafts[1].template.namespace == "batch")
    }

    @Test func javascriptIsAModuleExportingTheDocument() throws {
        let text = try #require(EcosystemExport.export([job], format: .js).printed)
        let body = try #require(text.split(separator: "\n", maxSplits: 1).last)
        #expect(body.hasPrefix("module.exports = {") && body.hasSuffix("};\n"))
        let json = body.dropFirst("module.exports = ".count).dropLast(2)
        #expect(try JSONParser.parse(String(json))["apps"]?.arrayValue?.count == 1)
    }
}
