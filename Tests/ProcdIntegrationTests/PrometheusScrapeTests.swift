import Foundation
import Testing

/// A real Prometheus server (Debian's `prometheus`) scrapes procd's `/metrics`.
@Suite("Prometheus scrape", .serialized, .timeLimit(.minutes(2)))
struct PrometheusScrapeTests {
    static let prometheus = ["/usr/bin/prometheus", "/usr/local/bin/prometheus"].first { FileManager.default.isExecutableFile(atPath: $0) }

    @Test(.enabled(if: PrometheusScrapeTests.prometheus != nil, "prometheus is not installed (.ci/run installs it: apt-get install prometheus)"))
    func prometheusScrapesProcdAndItsApiReturnsTheSeries() throws {
        try withSandbox { sandbox in
            let procdPort = try MetricsTests.startDaemon(sandbox)
            #expect(sandbox.startFixture("scraped", ["--stay"], options: ["--namespace", "prod"]).status == 0)
            let webPort = Network.freePort()
            let config = try sandbox.write("prometheus.yml", """
                global:
                  scrape_interval: 1s
                  evaluation_interval: 1s
                scrape_configs:
                  - job_name: procd
                    static_configs:
                      - targets: ['127.0.0.1:\(procdPort)']

                """)
            let server = try sandbox.launch(try #require(Self.prometheus), [
                "--config.file=\(config)", "--storage.tsdb.path=\(sandbox.work)/tsdb",
                "--web.listen-address=127.0.0.1:\(webPort)", "--log.level=warn",
            ])
            defer {
                kill(server.process.processIdentifier, SIGTERM)
                if !sandbox.waitUntil(timeout: .seconds(10), { !server.process.isRunning }) { kill(server.process.processIdentifier, SIGKILL) }
                server.process.waitUntilExit()
            }
            let query = "/api/v1/query?query=procd_process_up%7Bapp%3D%22scraped%22%7D"
            var answer = ""
            let found = sandbox.waitUntil(timeout: .seconds(60)) {
                answer = Network.httpGet(port: webPort, path: query) ?? ""
                return answer.contains("\"__name__\":\"procd_process_up\"")
            }
            #expect(found, "prometheus never returned procd's series: \(answer)\n\(sandbox.read(server.stderr))")
            #expect(answer.contains("\"namespace\":\"prod\""), "\(answer)")
            #expect(answer.contains("\"job\":\"procd\""), "\(answer)")
            let targets = Network.httpGet(port: webPort, path: "/api/v1/targets") ?? ""
            #expect(targets.contains("\"health\":\"up\""), "\(targets)")
        }
    }
}
