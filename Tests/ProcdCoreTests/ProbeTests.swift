import Testing

@testable import ProcdCore

@Suite struct ProbeTests {
    private func parse(_ text: String) throws -> Result<Probe, SpecError> {
        Probe.parse(try JSONParser.parse(text), field: "readiness_probe")
    }

    @Test func anExecProbeWithKubernetesDefaults() throws {
        let probe = try parse(#"{"exec": {"command": "redis-cli -p 6390 ping"}}"#).get()
        #expect(probe.action == .exec(["/bin/sh", "-c", "redis-cli -p 6390 ping"]))
        #expect(probe.initialDelay == .zero && probe.period == .seconds(10) && probe.timeout == .seconds(1))
        #expect(probe.successThreshold == 1 && probe.failureThreshold == 3)
        #expect(try parse(#"{"exec": {"command": ["pg_isready", "-q"]}}"#).get().action == .exec(["pg_isready", "-q"]))
    }

    @Test func anHttpProbeWithFractionsOfASecond() throws {
        let probe = try parse(#"""
            {"http_get": {"host": "127.0.0.1", "port": "8080", "path": "health", "headers": {"X-Probe": "1"}},
             "initial_delay_seconds": 0.5, "period_seconds": 0.25, "timeout_seconds": 2, "success_threshold": 2, "failure_threshold": 5}
            """#).get()
        #expect(probe.action == .httpGet(scheme: "http", host: "127.0.0.1", port: 8080, path: "/health", headers: ["X-Probe": "1"]))
        #expect(probe.initialDelay == .milliseconds(500) && probe.period == .milliseconds(250) && probe.timeout == .seconds(2))
        #expect(probe.successThreshold == 2 && probe.failureThreshold == 5)
    }

    @Test(arguments: [
        (#"{}"#, "expected exec or http_get"),
        (#"{"exec": {}}"#, "exec needs a command"),
        (#"{"exec": {"command": 3}}"#, "exec.command"),
        (#"{"exec": {"command": "x"}, "http_get": {"port": 80}}"#, "not both"),
        (#"{"http_get": {"port": 0}}"#, "port from 1 to 65535"),
        (#"{"http_get": {"port": 443, "scheme": "https"}}"#, "http_get scheme 'https' is not supported: procd has no TLS"),
        (#"{"http_get": {"port": 80, "host": "db.internal"}}"#, "http_get host 'db.internal' must be an IP address or localhost"),
        (#"{"http_get": {"port": 80, "path": "/a b"}}"#, "http_get path must not contain spaces"),
        (#"{"http_get": {"port": 80, "headers": {"X-A": "1\r\nX-B: 2"}}}"#, "http_get header 'X-A'"),
        (#"{"http_get": {"port": 80, "headers": {"X A": "1"}}}"#, "http_get header 'X A'"),
        (#"{"exec": {"command": "x"}, "period_seconds": -1}"#, "period_seconds"),
        (#"{"exec": {"command": "x"}, "period_seconds": 0}"#, "at least 0.01"),
        (#"{"exec": {"command": "x"}, "failure_threshold": 0}"#, "failure_threshold"),
        (#""ping""#, "expected a mapping"),
    ])
    func badProbes(_ text: String, _ message: String) throws {
        guard case .failure(let error) = try parse(text) else {
            Issue.record("accepted \(text)")
            return
        }
        #expect(error.field == "readiness_probe" && error.message.contains(message), "\(error.message)")
    }

    @Test(arguments: [
        ("127.0.0.1", true), ("localhost", true), ("::1", true), ("fe80::1", true), ("10.0.0.255", true),
        ("db", false), ("example.com", false), ("1.2.3", false), ("1.2.3.400", false), ("", false), ("::g", false),
    ])
    func hostsThatConnectWithoutALookup(_ host: String, _ accepted: Bool) {
        #expect(Probe.isAddressLiteral(host) == accepted)
    }

    @Test(arguments: [(200, nil), (204, nil), (301, nil), (399, nil), (199, "HTTP 199"), (400, "HTTP 400"), (503, "HTTP 503")])
    func anHTTPStatusPassesFrom200To399(_ status: Int, _ failure: String?) {
        switch Probe.judge(status: status) {
        case .success: #expect(failure == nil)
        case .failure(let why): #expect(why.reason == failure)
        }
    }

    @Test func theTallyChangesOnlyAtItsThresholds() {
        var probe = Probe(action: .exec(["true"]))
        probe.successThreshold = 2
        probe.failureThreshold = 3
        var tally = Probe.Tally()
        let fail = Result<Void, ProbeFailure>.failure(ProbeFailure("exit 1"))
        #expect(tally.record(.success(()), probe) == nil)
        #expect(tally.record(.success(()), probe) == .passed)
        #expect(tally.passing)
        #expect(tally.record(fail, probe) == nil)
        #expect(tally.record(.success(()), probe) == nil, "a success in between starts the count again")
        #expect(tally.record(fail, probe) == nil)
        #expect(tally.record(fail, probe) == nil)
        #expect(tally.record(fail, probe) == .failed("failed 3 times: exit 1"))
        #expect(!tally.passing)
        #expect(tally.record(fail, probe) == nil, "said once")
        var fresh = Probe.Tally()
        for _ in 0..<2 { #expect(fresh.record(fail, probe) == nil) }
        #expect(fresh.record(fail, probe) == .failed("failed 3 times: exit 1"), "a probe that never passed fails too")
    }
}
