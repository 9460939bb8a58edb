import Testing

@testable import ProcdCore

/// The stack attributes of an app through every form they take: a file, the spec, the
/// wire's JSON and back.
@Suite struct StackSpecTests {
    private func loaded(_ app: JSON) throws -> AppSpec {
        let loaded = try Ecosystem.load(.object(["apps": .array([app])]), file: "eco.json")
        return try #require(loaded.drafts.first).template
    }

    @Test func dependenciesReadyLineAndProbesRoundTrip() throws {
        let app: JSON = .object([
            "name": .string("api"), "script": .string("server.js"),
            "depends_on": .object(["db": .object(["condition": .string("process_healthy")]), "migrate": .object(["condition": .string("completed_successfully")])]),
            "ready_log_line": .string("listening on"),
            "readiness_probe": .object(["http_get": .object(["port": .int(8080), "path": .string("health")]), "period_seconds": .number(0.5)]),
            "liveness_probe": .object(["exec": .object(["command": .array([.string("pg_isready"), .string("-q")])]), "failure_threshold": .int(5)]),
        ])
        var spec = try loaded(app)
        #expect(spec.dependsOn == [Dependency("db", .healthy), Dependency("migrate", .completedSuccessfully)])
        #expect(spec.readyLogLine == "listening on")
        #expect(spec.readinessProbe?.summary == "GET http://127.0.0.1:8080/health every 0.5s, timeout 1s, 1/3")
        #expect(spec.livenessProbe?.summary == "exec `pg_isready -q` every 10s, timeout 1s, 1/5")
        spec.name = "api"
        spec.command = ["/usr/bin/node", "server.js"]
        spec.cwd = "/srv"
        #expect(try AppSpec(json: spec.json) == spec)
    }

    /// A readiness probe is the app's readiness signal, given until its last failure.
    @Test func aReadinessProbeWaitsForReadinessAsLongAsItsThresholdsAllow() throws {
        var spec = AppSpec(name: "db", command: ["/bin/true"], cwd: "/")
        #expect(!spec.lifecyclePolicy.waitReady)
        var probe = Probe(action: .exec(["/bin/true"]))
        probe.period = .seconds(2)
        probe.failureThreshold = 10
        spec.readinessProbe = probe
        #expect(spec.lifecyclePolicy.waitReady)
        #expect(spec.lifecyclePolicy.listenTimeout == .seconds(33))
    }

    @Test(arguments: [
        (JSON.object(["depends_on": .array([.string("db:soon")])]), "expected NAME or NAME:CONDITION"),
        (JSON.object(["depends_on": .int(3)]), "expected a list of app names or a mapping"),
        (JSON.object(["ready_log_line": .string("")]), "the text to wait for is empty"),
        (JSON.object(["readiness_probe": .object(["tcp_socket": .object(["port": .int(1)])])]), "expected exec or http_get"),
    ])
    func mistakesNameTheAttribute(extra: JSON, message: String) {
        var object: JSONObject = ["name": .string("api"), "script": .string("server.js")]
        for (key, value) in extra.objectValue?.entries ?? [] { object[key] = value }
        #expect(throws: ConfigError.self) { try loaded(.object(object)) }
        do {
            _ = try loaded(.object(object))
        } catch {
            #expect("\(error)".contains(message), "\(error)")
        }
    }
}
