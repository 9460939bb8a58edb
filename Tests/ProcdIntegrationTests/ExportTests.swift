import Foundation
import Testing

/// `procctl export`: what systemd, Docker Compose and Kubernetes accept, checked by their
/// own validators.
@Suite("Export", .serialized, .timeLimit(.minutes(1)))
struct ExportTests {
    private func ecosystem(_ sandbox: Sandbox) throws -> String {
        try sandbox.write("ecosystem.config.js", """
            module.exports = { apps: [
              { name: 'api', script: '/bin/sleep', args: ['1000'], instances: 3, env: { NODE_ENV: 'production', NOTE: 'cost 100% of $HOME' }, kill_timeout: 3000 },
              { name: 'Web_1', script: '/bin/sleep', args: '999', listen: 8080, health_url: 'http://127.0.0.1:8080/health', wait_ready: true },
              { name: 'nightly', script: '/bin/true', autorestart: false, cron_restart: '0 3 * * *' },
            ]};
            """)
    }

    @Test(.enabled(if: Scenario.hasNode))
    func systemdUnitsPassSystemdAnalyzeVerify() throws {
        try withSandbox { sandbox in
            let file = try ecosystem(sandbox)
            let out = sandbox.work + "/units"
            let result = sandbox.procctl("export", "systemd", file, "-o", out)
            #expect(result.status == 0, "\(result)")
            let files = try FileManager.default.contentsOfDirectory(atPath: out).sorted()
            #expect(files == ["Web_1.service", "Web_1.socket", "api@.service", "nightly.service"], "\(files)")
            let api = sandbox.read(out + "/api@.service")
            #expect(api.contains("Environment=\"NOTE=cost 100%% of $$HOME\"") && api.contains("Environment=NODE_APP_INSTANCE=%i"), "\(api)")
            #expect(api.contains("TimeoutStopSec=3") && api.contains("Restart=always") && api.contains("KillSignal=SIGTERM"), "\(api)")
            #expect(!api.contains("PATH="), "the shell's environment was exported: \(api)")
            let web = sandbox.read(out + "/Web_1.service")
            #expect(web.contains("Type=notify") && web.contains("Requires=Web_1.socket"), "\(web)")
            #expect(sandbox.read(out + "/Web_1.socket").contains("ListenStream=8080"))
            #expect(sandbox.read(out + "/nightly.service").contains("Restart=no"))
            #expect(result.stderr.contains("nightly: cron_restart") && result.stderr.contains("Web_1: health_url"), "not warned: \(result.stderr)")
            #expect(result.stderr.contains("systemctl enable --now api@0 api@1 api@2"), "\(result.stderr)")
            if Scenario.hasSystemdAnalyze {
                let verify = sandbox.run(Scenario.which("systemd-analyze") ?? "systemd-analyze", ["verify"] + files.map { out + "/" + $0 })
                #expect(verify.status == 0 && verify.stderr.isEmpty, "\(verify)")
            }
        }
    }

    @Test(.enabled(if: Scenario.hasNode))
    func composeFilePassesDockerComposeConfig() throws {
        try withSandbox { sandbox in
            let result = sandbox.procctl("export", "compose", try ecosystem(sandbox), "-o", sandbox.work)
            #expect(result.status == 0, "\(result)")
            let text = sandbox.read(sandbox.work + "/compose.yaml")
            #expect(text.contains("  api:") && text.contains("scale: 3") && text.contains("  web-1:") && text.contains("healthcheck:"), "\(text)")
            #expect(text.contains("restart: \"no\""), "\(text)")
            guard let compose = Scenario.which("docker-compose") else { return }
            let config = sandbox.run(compose, ["-f", sandbox.work + "/compose.yaml", "config"])
            #expect(config.status == 0, "\(config)")
            #expect(config.stdout.contains("cost 100% of $$HOME") || config.stdout.contains("cost 100% of $HOME"), "\(config)")
        }
    }

    @Test(.enabled(if: Scenario.hasNode))
    func kubernetesManifestsPassKubernetesValidate() throws {
        try withSandbox { sandbox in
            let out = sandbox.work + "/k8s"
            let result = sandbox.procctl("export", "kubernetes", try ecosystem(sandbox), "-o", out)
            #expect(result.status == 0, "\(result)")
            let files = try FileManager.default.contentsOfDirectory(atPath: out).sorted()
            #expect(files == ["api-deployment.json", "nightly-deployment.json", "web-1-deployment.json", "web-1-service.json"], "\(files)")
            let api = try JSONSerialization.jsonObject(with: Data(sandbox.read(out + "/api-deployment.json").utf8)) as? [String: Any]
            #expect((api?["spec"] as? [String: Any])?["replicas"] as? Int == 3)
            let printed = sandbox.procctl("export", "kubernetes", try ecosystem(sandbox))
            #expect(printed.stdout.contains("\"kind\": \"List\""), "\(printed)")
            guard let validate = Scenario.which("kubernetes-validate") else { return }
            let checked = sandbox.run(validate, files.map { out + "/" + $0 })
            #expect(checked.status == 0, "\(checked)")
            #expect(checked.stdout.components(separatedBy: "passed").count - 1 == files.count, "\(checked)")
        }
    }

    @Test func runningAppsExportFromTheTable() throws {
        try withSandbox { sandbox in
            #expect(sandbox.startFixture("svc", [], options: ["--env", "MODE=live"]).status == 0)
            try sandbox.waitForStatus("svc", "online")
            let units = sandbox.procctl("export", "systemd")
            #expect(units.status == 0 && units.stdout.contains("Environment=MODE=live") && units.stdout.contains(Binaries.fixture), "\(units)")
            let bad = sandbox.procctl("export", "nomad")
            #expect(bad.status == 2, "\(bad)")
        }
    }
}
