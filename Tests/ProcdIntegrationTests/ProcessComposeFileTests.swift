import Foundation
import Testing

/// process-compose files run as they are, through the real binaries.
@Suite("process-compose files", .serialized, .timeLimit(.minutes(1)))
struct ProcessComposeFileTests {
    /// A file with replicas, a one-shot, a disabled process and keys procd does not read.
    private func file(_ sandbox: Sandbox, in directory: String? = nil) throws -> String {
        let name = (directory.map { $0 + "/" } ?? "") + "process-compose.yaml"
        if let directory { try FileManager.default.createDirectory(atPath: sandbox.work + "/" + directory, withIntermediateDirectories: true) }
        return try sandbox.write(name, """
            version: "0.5"
            environment:
              - "STACK=demo"
            log_level: info
            processes:
              web:
                command: "echo web $STACK replica=$PC_REPLICA_NUM; exec sleep 300"
                replicas: 2
                availability:
                  restart: always
                shutdown:
                  signal: 15
                  timeout_seconds: 2
                description: serves
              once:
                command: "echo once ran; exit 0"
              spare:
                command: "sleep 300"
                disabled: true
            """)
    }

    @Test func replicasShareOneAppAndEachKnowsItsNumber() throws {
        try withSandbox { sandbox in
            let path = try file(sandbox)
            let result = sandbox.procctl("start", path)
            #expect(result.status == 0, "\(result)")
            #expect(result.stderr.contains("not supported by procd, ignored: log_level; description (web)"), "\(result)")
            #expect(result.stderr.contains("'spare' is disabled; not started"), "\(result)")
            let web = try sandbox.waitForStatus("web", "online", count: 2)
            let numbers = try web.map { try Scenario.environment(sandbox, id: $0.id)["PC_REPLICA_NUM"] ?? "" }.sorted()
            #expect(numbers == ["0", "1"])
            #expect(try sandbox.waitUntil { sandbox.outLog("web").contains("web demo replica=1") })
            let once = try sandbox.waitForStatus("once", "stopped")
            #expect(once.first?.exitCode == 0 && once.first?.restarts == 0, "a process without availability is not restarted")
            #expect(try !sandbox.list().contains { $0.name == "spare" })
        }
    }

    @Test func startWithNoFileUsesTheOneInTheCurrentDirectory() throws {
        try withSandbox { sandbox in
            _ = try file(sandbox, in: "stack")
            let result = sandbox.procctl(["start", "--dry-run"], cwd: sandbox.work + "/stack")
            #expect(result.status == 0, "\(result)")
            #expect(result.stderr.hasPrefix("procctl: starting \(sandbox.work)/stack/process-compose.yaml\n"), "\(result)")
            #expect(result.stdout.contains("web") && result.stdout.contains("once"), "\(result)")
            let empty = sandbox.procctl(["start"], cwd: sandbox.work)
            #expect(empty.status == 2 && empty.stderr.contains("has none of ecosystem.config.js"), "\(empty)")
        }
    }

    @Test func procdRunRunsTheFileInTheForeground() throws {
        try withSandbox { sandbox in
            let path = try sandbox.write("pc.yaml", """
                processes:
                  hello:
                    command: "echo hello from $WHO"
                    environment: [WHO=compose]
                """)
            let result = sandbox.run(Binaries.procd, ["run", path], timeout: .seconds(20))
            #expect(result.status == 0, "\(result)")
            #expect(result.stdout.contains("hello| hello from compose\n"), "\(result)")
        }
    }
}
