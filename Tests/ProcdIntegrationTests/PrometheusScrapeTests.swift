import Foundation
import Testing

/// A real Prometheus server (Debian's `prometheus`) scrapes procd's `/metrics`.
@Suite("Prometheus scrape", .serialized, .timeLimit(.minutes(2)))
struct PrometheusScrapeTests {
    static let prometheus = ["/usr/bin/prometheus", "/usr/local/bin/prometheus"].first { FileManager.default.isExecutableFile(atPath: $0) }
    static let promtool = ["/usr/bin/promtool", "/usr/local/bin/promtool"].first { FileManager.default.isExecutableFile(atPath: $0) }

    @Test(.enabled(if: PrometheusScrapeTests.prometheus != nil, "prometheus is not installed (.ci/run installs it: apt-get install prometheus)"))
    func prometheusScrapesProcdAndItsApiReturnsTheSeries() throws {
        try withSandbox { sandbox in
            let procdPort = try MetricsTests.startDaemon(sandbox)
            #expect(sandbox.startFixture("scraped", ["--stay"], options: ["--namespace", "prod"]).status == 0)
            let config = try sandbox.write("prometheus.yml", """
                global:
                  scrape_interval: 1s
                  evaluation_interval: 1s
                scrape_configs:
                  - job_name: procd
                    static_configs:
                      - targets: ['127.0.0.1:\(procdPort)']

                """)
            let answer = try Self.scrape(sandbox, config: config, query: "procd_process_up%7Bapp%3D%22scraped%22%7D")
            #expect(answer.contains("\"__name__\":\"procd_process_up\""), "prometheus never returned procd's series: \(answer)")
            #expect(answer.contains("\"namespace\":\"prod\""), "\(answer)")
            #expect(answer.contains("\"job\":\"procd\""), "\(answer)")
        }
    }

    /// The scrape config README › Events, crash context and metrics shows, taken from the
    /// README itself: promtool accepts it, and once `web.token` exists (which makes
    /// `/metrics` ask for the token on loopback too) Prometheus scrapes procd with it.
    @Test(.enabled(if: PrometheusScrapeTests.prometheus != nil && PrometheusScrapeTests.promtool != nil,
                   "prometheus or promtool is not installed (.ci/run installs them: apt-get install prometheus)"))
    func theReadmesScrapeConfigWorksOnceTheTokenExists() throws {
        try withSandbox { sandbox in
            let procdPort = try MetricsTests.startDaemon(sandbox)
            #expect(sandbox.startFixture("scraped", ["--stay"]).status == 0)
            let web = sandbox.procctl("web", "--print-url")
            #expect(web.status == 0, "\(web)")
            let tokenFile = sandbox.home + "/web.token"
            #expect(FileManager.default.fileExists(atPath: tokenFile))
            // What the config without a token now meets.
            let bare = Network.httpGet(port: procdPort, path: "/metrics") ?? ""
            #expect(bare.hasPrefix("HTTP/1.1 401"), "\(bare.prefix(200))")

            let readme = try String(contentsOfFile: Self.packageRoot + "/README.md", encoding: .utf8)
            let documented = try #require(Self.scrapeConfig(in: readme), "README has no yaml block with scrape_configs")
            #expect(documented.contains("credentials_file: /home/ana/.procd/web.token"), "\(documented)")
            let text = "global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\n" + documented
                .replacingOccurrences(of: "scrape_interval: 15s", with: "scrape_interval: 1s")
                .replacingOccurrences(of: "127.0.0.1:9615", with: "127.0.0.1:\(procdPort)")
                .replacingOccurrences(of: "/home/ana/.procd/web.token", with: tokenFile)
            let config = try sandbox.write("prometheus.yml", text)

            let checked = sandbox.run(try #require(Self.promtool), ["check", "config", config])
            #expect(checked.status == 0, "promtool refused the README's config: \(checked)\n\(text)")
            let answer = try Self.scrape(sandbox, config: config, query: "procd_process_up%7Bapp%3D%22scraped%22%7D")
            #expect(answer.contains("\"__name__\":\"procd_process_up\""), "prometheus never returned procd's series: \(answer)")
        }
    }

    // MARK: - Helpers

    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path

    /// The first ```yaml block of `markdown` that holds `scrape_configs:`.
    static func scrapeConfig(in markdown: String) -> String? {
        let blocks = markdown.components(separatedBy: "```yaml\n").dropFirst()
        return blocks.compactMap { $0.components(separatedBy: "```").first }.first { $0.contains("scrape_configs:") }
    }

    /// Runs Prometheus on `config` until its API answers `query` with a series (at most a
    /// minute), stops it, and returns the last answer; the targets page must show the
    /// scrape healthy.
    static func scrape(_ sandbox: Sandbox, config: String, query: String) throws -> String {
        let webPort = Network.freePort()
        let server = try sandbox.launch(try #require(prometheus), [
            "--config.file=\(config)", "--storage.tsdb.path=\(sandbox.work)/tsdb",
            "--web.listen-address=127.0.0.1:\(webPort)", "--log.level=warn",
        ])
        defer {
            kill(server.process.processIdentifier, SIGTERM)
            if !sandbox.waitUntil(timeout: .seconds(10), { !server.process.isRunning }) { kill(server.process.processIdentifier, SIGKILL) }
            server.process.waitUntilExit()
        }
        var answer = ""
        let found = sandbox.waitUntil(timeout: .seconds(60)) {
            answer = Network.httpGet(port: webPort, path: "/api/v1/query?query=" + query) ?? ""
            return answer.contains("\"result\":[{")
        }
        if !found { answer += "\n" + sandbox.read(server.stderr) }
        let targets = Network.httpGet(port: webPort, path: "/api/v1/targets") ?? ""
        #expect(targets.contains("\"health\":\"up\""), "\(targets)")
        return answer
    }
}
