import Foundation
import Testing

/// `procctl web` and the dashboard it serves: the login, the refusals, and a real browser.
@Suite("Web dashboard", .serialized, .timeLimit(.minutes(3)))
struct DashboardTests {
    static let chromedriver = ["/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver"].first { FileManager.default.isExecutableFile(atPath: $0) }
    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Browser/dashboard.py").path
    static let seleniumInstalled: Bool = {
        let probe = Process()
        probe.executableURL = URL(fileURLWithPath: "/bin/sh")
        probe.arguments = ["-c", "python3 -c 'import selenium' 2>/dev/null"]
        guard (try? probe.run()) != nil else { return false }
        probe.waitUntilExit()
        return probe.terminationStatus == 0
    }()

    /// Starts the ticker app (id 0) and a second one, then `procctl web` on a free port.
    static func serve(_ sandbox: Sandbox) throws -> (url: String, port: Int, token: String) {
        let ticker = sandbox.procctl("start", "/bin/sh", "--name", "ticker", "--",
                                     "-c", "echo \"started $$\"; i=0; while true; do echo \"tick $i\"; i=$((i+1)); sleep 0.1; done")
        #expect(ticker.status == 0, "\(ticker)")
        #expect(sandbox.startFixture("other", ["--stay"]).status == 0)
        let port = Network.freePort()
        let web = sandbox.procctl("web", "--listen", "127.0.0.1:\(port)", "--print-url")
        guard web.status == 0 else { throw SandboxError("procctl web failed: \(web)") }
        let url = web.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        guard let token = url.components(separatedBy: "?token=").last, url.hasPrefix("http://127.0.0.1:\(port)/?token="), token.count == 48
        else { throw SandboxError("unexpected URL: \(url)") }
        return (url, port, token)
    }

    static func request(_ port: Int, _ method: String, _ path: String, headers: [String] = [], body: String = "") -> String {
        var text = "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nConnection: close\r\n"
        for header in headers { text += header + "\r\n" }
        if !body.isEmpty || method == "POST" { text += "Content-Length: \(body.utf8.count)\r\n" }
        return MetricsTests.exchange(port: port, text + "\r\n" + body)
    }

    @Test func webPrintsALoginURLAndTheListenerComesBackAfterARestart() throws {
        try withSandbox { sandbox in
            let (url, port, token) = try Self.serve(sandbox)
            let attributes = try FileManager.default.attributesOfItem(atPath: sandbox.home + "/web.token")
            #expect((attributes[.posixPermissions] as? Int) == 0o600)
            #expect(sandbox.read(sandbox.home + "/web.token").contains(token))
            let human = sandbox.procctl("web")
            #expect(human.status == 0 && human.stdout.contains(url), "\(human)")
            // The login: the token becomes an HttpOnly, SameSite=Strict cookie and leaves the URL.
            let login = Self.request(port, "GET", "/?token=\(token)")
            #expect(login.hasPrefix("HTTP/1.1 303"), "\(login)")
            #expect(login.contains("Set-Cookie: procd_web=\(token); Path=/; HttpOnly; SameSite=Strict"), "\(login)")
            #expect(login.contains("Location: /\r\n"), "\(login)")
            let page = Self.request(port, "GET", "/", headers: ["Cookie: procd_web=\(token)"])
            #expect(page.hasPrefix("HTTP/1.1 200") && page.contains("<title>procd</title>"), "\(page.prefix(300))")
            #expect(page.contains("Content-Security-Policy: default-src 'none'"), "\(page.prefix(600))")
            #expect(!page.contains("http://") || !page.contains("src=\"http"), "the page loads something from elsewhere")

            // Stopped and started again, the daemon serves the dashboard where it was.
            #expect(sandbox.procctl("kill").status == 0)
            #expect(sandbox.procctl("ping").status == 0)
            #expect(sandbox.waitUntil { Self.request(port, "GET", "/api/processes", headers: ["Cookie: procd_web=\(token)"]).hasPrefix("HTTP/1.1 200") })
            #expect(sandbox.procctl("web", "--print-url").stdout.trimmingCharacters(in: .whitespacesAndNewlines) == url)

            // --off closes it and forgets the address.
            #expect(sandbox.procctl("web", "--off").status == 0)
            #expect(Self.request(port, "GET", "/").isEmpty)
            #expect(!FileManager.default.fileExists(atPath: sandbox.home + "/web.listen"))
            let bad = sandbox.procctl("web", "--listen", "nowhere")
            #expect(bad.status == 2 && bad.stderr.contains("procctl: error:"), "\(bad)")
        }
    }

    @Test func requestsWithoutTheTokenOrFromElsewhereAreRefused() throws {
        try withSandbox { sandbox in
            let (_, port, token) = try Self.serve(sandbox)
            let cookie = "Cookie: procd_web=\(token)"
            for path in ["/", "/api/processes", "/api/describe?target=0", "/api/events", "/api/logs?target=0"] {
                let anonymous = Self.request(port, "GET", path)
                #expect(anonymous.hasPrefix("HTTP/1.1 401"), "\(path): \(anonymous.prefix(200))")
                #expect(!anonymous.contains("ticker"), "\(path) leaked data")
            }
            #expect(Self.request(port, "GET", "/metrics").hasPrefix("HTTP/1.1 401"), "metrics need the token once it exists")
            #expect(Self.request(port, "GET", "/metrics", headers: ["Authorization: Bearer \(token)"]).hasPrefix("HTTP/1.1 200"))
            // DNS rebinding: a foreign Host is refused even with the cookie.
            let rebound = MetricsTests.exchange(port: port, "GET /api/processes HTTP/1.1\r\nHost: evil.example:\(port)\r\n\(cookie)\r\n\r\n")
            #expect(rebound.hasPrefix("HTTP/1.1 403"), "\(rebound)")
            // /metrics too, with the bearer token.
            let reboundMetrics = MetricsTests.exchange(port: port, "GET /metrics HTTP/1.1\r\nHost: evil.example:\(port)\r\nAuthorization: Bearer \(token)\r\n\r\n")
            #expect(reboundMetrics.hasPrefix("HTTP/1.1 403"), "\(reboundMetrics)")
            #expect(!reboundMetrics.contains("procd_"), "metrics leaked: \(reboundMetrics)")

            // POSTs need the page's CSRF token and no foreign Origin.
            let page = Self.request(port, "GET", "/", headers: [cookie])
            let csrf = try #require(page.components(separatedBy: "name=\"procd-csrf\" content=\"").dropFirst().first?.prefix(32))
            let body = #"{"action":"stop","target":"0"}"#
            let json = "Content-Type: application/json"
            let foreign = Self.request(port, "POST", "/api/action", headers: [cookie, json, "X-Procd-CSRF: \(csrf)", "Origin: http://evil.example"], body: body)
            #expect(foreign.hasPrefix("HTTP/1.1 403"), "\(foreign)")
            let noCSRF = Self.request(port, "POST", "/api/action", headers: [cookie, json], body: body)
            #expect(noCSRF.hasPrefix("HTTP/1.1 403"), "\(noCSRF)")
            let unknown = Self.request(port, "POST", "/api/action", headers: [cookie, json, "X-Procd-CSRF: \(csrf)"], body: #"{"action":"delete","target":"0"}"#)
            #expect(unknown.hasPrefix("HTTP/1.1 400"), "\(unknown)")
            let huge = Self.request(port, "POST", "/api/action", headers: [cookie, json, "X-Procd-CSRF: \(csrf)"], body: String(repeating: "x", count: 20_000))
            #expect(huge.hasPrefix("HTTP/1.1 413"), "\(huge.prefix(200))")
            #expect(sandbox.procctl("list", "--json").stdout.contains("\"status\":\"online\""), "a refused POST stopped something")

            // The same POST from the page's own origin works.
            let own = Self.request(port, "POST", "/api/action", headers: [cookie, json, "X-Procd-CSRF: \(csrf)", "Origin: http://127.0.0.1:\(port)"],
                                   body: #"{"action":"restart","target":"ticker"}"#)
            #expect(own.hasPrefix("HTTP/1.1 200") && own.contains("\"restarts\":1"), "\(own)")

            // Failed logins are throttled: after five, even the right token waits.
            for _ in 0..<6 { _ = Self.request(port, "GET", "/?token=wrong") }
            let throttled = Self.request(port, "GET", "/?token=\(token)")
            #expect(throttled.hasPrefix("HTTP/1.1 429") && throttled.contains("Retry-After:"), "\(throttled)")
            #expect(sandbox.waitUntil(timeout: .seconds(15)) { Self.request(port, "GET", "/?token=\(token)").hasPrefix("HTTP/1.1 303") })
            #expect(sandbox.procctl("ping").status == 0, "the daemon died: \(sandbox.diagnostics)")
        }
    }

    @Test func aStreamEndsWhenItsReaderLeavesOrFallsTooFarBehind() throws {
        try withSandbox { sandbox in
            let (_, port, token) = try Self.serve(sandbox)
            let fd = try #require(MetricsTests.connect(port: port))
            #expect(Network.send(fd, "GET /api/logs?target=0 HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nCookie: procd_web=\(token)\r\n\r\n"))
            var received = ""
            var buffer = [UInt8](repeating: 0, count: 4096)
            #expect(sandbox.waitUntil {
                let n = recv(fd, &buffer, buffer.count, Int32(MSG_DONTWAIT))
                if n > 0 { received += String(decoding: buffer[0..<n], as: UTF8.self) }
                return received.contains("event: log") && received.contains("tick")
            }, "\(received)")
            #expect(received.hasPrefix("HTTP/1.1 200") && received.contains("Content-Type: text/event-stream"), "\(received.prefix(300))")
            close(fd)
            // The daemon lets go of the follower: only the control client of `metrics` remains.
            #expect(sandbox.waitUntil {
                sandbox.procctl("metrics").stdout.contains("procd_daemon_clients 1\n")
            }, "\(sandbox.procctl("metrics").stdout)")

            // A reader that never reads while an app floods its log is dropped, not buffered for.
            #expect(sandbox.startFixture("flood", ["--spew", "200000000", "--stay"]).status == 0)
            let stalled = try #require(MetricsTests.connect(port: port))
            defer { close(stalled) }
            var small: Int32 = 4096
            _ = setsockopt(stalled, SOL_SOCKET, SO_RCVBUF, &small, socklen_t(MemoryLayout<Int32>.size))
            #expect(Network.send(stalled, "GET /api/logs?target=flood HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nCookie: procd_web=\(token)\r\n\r\n"))
            // Dropped at the HTTP listener's bound, or, when the flood outruns the relay
            // between daemon and page first (a loaded machine), at the log follower's: the
            // stream ends either way.
            #expect(sandbox.waitUntil(timeout: .seconds(60)) {
                let log = sandbox.read(sandbox.home + "/procd.log")
                return log.contains("http: dropped a client that fell more than 1024 KiB behind")
                    || log.contains("dropped a log follower that fell more than 8 MiB behind")
            }, "\(sandbox.diagnostics)")
            #expect(sandbox.procctl("ping").status == 0)
        }
    }

    @Test(.enabled(if: DashboardTests.chromedriver != nil && DashboardTests.seleniumInstalled,
                   "chromium-driver or selenium is missing (.ci/run installs them: apt-get install chromium chromium-driver; pip install selenium)"))
    func aRealBrowserLogsInSeesRestartsAndFollowsTheLog() throws {
        try withSandbox { sandbox in
            let (url, _, _) = try Self.serve(sandbox)
            let screenshots = ProcessInfo.processInfo.environment["PROCD_SCREENSHOTS"]
            let result = sandbox.run("/usr/bin/env", ["python3", Self.script, url] + (screenshots.map { [$0] } ?? []), timeout: .seconds(150))
            #expect(result.status == 0, "\(result)\n\(sandbox.diagnostics)")
            #expect(result.stdout.contains("every check passed"), "\(result)")
        }
    }
}
