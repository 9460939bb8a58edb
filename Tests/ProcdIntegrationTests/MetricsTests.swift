import Foundation
import Testing

/// `procctl metrics`, and `GET /metrics` on the daemon's HTTP listener.
@Suite("Metrics", .serialized, .timeLimit(.minutes(1)))
struct MetricsTests {
    static let promtool = ["/usr/bin/promtool", "/usr/local/bin/promtool"].first { FileManager.default.isExecutableFile(atPath: $0) }

    /// Starts `procd --foreground --http 127.0.0.1:PORT` in the sandbox; returns the port.
    static func startDaemon(_ sandbox: Sandbox) throws -> Int {
        let port = Network.freePort()
        _ = try sandbox.launch(Binaries.procd, ["--foreground", "--http", "127.0.0.1:\(port)"])
        guard sandbox.waitUntil({ FileManager.default.fileExists(atPath: sandbox.socketPath) && Network.httpGet(port: port, path: "/metrics") != nil })
        else { throw SandboxError("procd --http never answered on \(port)\n\(sandbox.diagnostics)") }
        sandbox.noteDaemon()
        return port
    }

    @Test func metricsHasEveryProcessWithItsLabelsAndTheDaemonsOwn() throws {
        try withSandbox { sandbox in
            #expect(sandbox.startFixture("web", ["--stay"], options: ["--instances", "2", "--namespace", "shop"]).status == 0)
            _ = try sandbox.waitForStatus("web", "online", count: 2)
            let result = sandbox.procctl("metrics")
            #expect(result.status == 0, "\(result)")
            let text = result.stdout
            for id in 0...1 {
                #expect(text.contains("procd_process_up{app=\"web\",id=\"\(id)\",namespace=\"shop\",instance=\"\(id)\"} 1"), "\(text)")
            }
            for name in ["procd_process_restarts_total", "procd_process_cpu_seconds_total", "procd_process_resident_memory_bytes",
                         "procd_process_start_time_seconds", "procd_process_exits_total", "procd_process_log_bytes_total",
                         "procd_build_info{version=", "procd_daemon_resident_memory_bytes", "procd_daemon_open_fds",
                         "procd_daemon_clients", "procd_daemon_uptime_seconds"] {
                #expect(text.contains("\n" + name), "missing \(name)")
            }
            let memory = text.split(separator: "\n").first { $0.hasPrefix("procd_process_resident_memory_bytes{app=\"web\",id=\"0\"") }
            #expect((memory?.split(separator: " ").last.flatMap { Double($0) } ?? 0) > 0, "\(memory ?? "none")")
        }
    }

    @Test(.enabled(if: MetricsTests.promtool != nil, "promtool is not installed (apt-get install prometheus)"))
    func promtoolAcceptsTheOutput() throws {
        try withSandbox { sandbox in
            #expect(sandbox.startFixture("quoted", ["--exit", "1"], options: ["--max-restarts", "0"]).status != -1)
            #expect(sandbox.startFixture("up", ["--stay"]).status == 0)
            let metrics = sandbox.procctl("metrics").stdout
            let file = try sandbox.write("metrics.txt", metrics)
            let check = sandbox.run("/bin/sh", ["-c", "\(MetricsTests.promtool ?? "promtool") check metrics < \(file)"])
            #expect(check.status == 0, "\(check)\n\(metrics)")
        }
    }

    @Test func httpServesMetricsOnLoopbackAndRefusesWhatItShouldNot() throws {
        try withSandbox { sandbox in
            let port = try Self.startDaemon(sandbox)
            #expect(sandbox.startFixture("api", ["--stay"]).status == 0)
            let page = Network.httpGet(port: port, path: "/metrics") ?? ""
            #expect(page.hasPrefix("HTTP/1.1 200 OK"), "\(page)")
            #expect(page.contains("Content-Type: text/plain; version=0.0.4"), "\(page)")
            #expect(page.contains("procd_process_up{app=\"api\",id=\"0\",namespace=\"default\",instance=\"0\"} 1"), "\(page)")
            #expect(Network.httpGet(port: port, path: "/nothing-here")?.hasPrefix("HTTP/1.1 404") == true)
            let oversized = Self.exchange(port: port, "GET /metrics HTTP/1.1\r\nHost: x\r\nX-Big: \(String(repeating: "a", count: 9000))\r\n\r\n")
            #expect(oversized.hasPrefix("HTTP/1.1 431"), "\(oversized)")
            let post = Self.exchange(port: port, "POST /metrics HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nContent-Length: 0\r\n\r\n")
            #expect(post.hasPrefix("HTTP/1.1 405"), "\(post)")
            let foreign = Self.exchange(port: port, "GET /metrics HTTP/1.1\r\nHost: evil.example:\(port)\r\n\r\n")
            #expect(foreign.hasPrefix("HTTP/1.1 403") && !foreign.contains("procd_"), "\(foreign)")
            let garbage = Self.exchange(port: port, "\u{1}\u{2} nonsense\r\n\r\n")
            #expect(garbage.hasPrefix("HTTP/1.1 400"), "\(garbage)")
            #expect(sandbox.procctl("ping").status == 0, "the daemon died: \(sandbox.diagnostics)")
        }
    }

    @Test func withATokenFileEveryRequestNeedsTheBearerToken() throws {
        try withSandbox { sandbox in
            try FileManager.default.createDirectory(atPath: sandbox.home, withIntermediateDirectories: true)
            let token = "s3cret-token-for-tests"
            _ = FileManager.default.createFile(atPath: sandbox.home + "/web.token", contents: Data((token + "\n").utf8),
                                               attributes: [.posixPermissions: 0o600])
            let port = try Self.startDaemon(sandbox)
            let refused = Network.httpGet(port: port, path: "/metrics") ?? ""
            #expect(refused.hasPrefix("HTTP/1.1 401"), "\(refused)")
            #expect(refused.contains("WWW-Authenticate: Bearer"), "\(refused)")
            let wrong = Self.exchange(port: port, "GET /metrics HTTP/1.0\r\nAuthorization: Bearer wrong\r\n\r\n")
            #expect(wrong.hasPrefix("HTTP/1.1 401"), "\(wrong)")
            let allowed = Self.exchange(port: port, "GET /metrics HTTP/1.0\r\nAuthorization: Bearer \(token)\r\n\r\n")
            #expect(allowed.hasPrefix("HTTP/1.1 200"), "\(allowed)")
            #expect(allowed.contains("procd_build_info"))
        }
    }

    @Test func aClientThatSendsHalfARequestIsDroppedAfterTheTimeout() throws {
        try withSandbox { sandbox in
            let port = try Self.startDaemon(sandbox)
            let fd = try #require(Self.connect(port: port))
            defer { close(fd) }
            #expect(Network.send(fd, "GET /metrics HTTP/1.1\r\nHost: x\r\n"))
            // Meanwhile others are served: a stalled client holds nothing up.
            #expect(Network.httpGet(port: port, path: "/metrics")?.hasPrefix("HTTP/1.1 200") == true)
            var timeout = timeval(tv_sec: 20, tv_usec: 0)
            _ = setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
            let start = ContinuousClock.now
            let rest = Network.readAll(fd, limit: 1 << 16)
            #expect(rest.isEmpty, "\(String(decoding: rest, as: UTF8.self))")
            #expect(ContinuousClock.now - start < .seconds(15), "not dropped at the 10 s timeout")
        }
    }

    /// Sends `request` raw and returns the whole answer.
    static func exchange(port: Int, _ request: String) -> String {
        guard let fd = connect(port: port) else { return "" }
        defer { close(fd) }
        guard Network.send(fd, request) else { return "" }
        shutdown(fd, Int32(SHUT_WR))
        return String(decoding: Network.readAll(fd, limit: 1 << 20), as: UTF8.self)
    }

    static func connect(port: Int) -> Int32? {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { return nil }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = UInt16(port).bigEndian
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
        }
        guard connected else {
            close(fd)
            return nil
        }
        var timeout = timeval(tv_sec: 5, tv_usec: 0)
        _ = setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        return fd
    }
}
