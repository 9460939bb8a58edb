import Foundation
import Testing

/// Many apps from one config file: one request, each app's outcome reported, and a crash
/// in the middle of the batch leaves the table and the processes in agreement.
@Suite("Many apps", .serialized, .timeLimit(.minutes(2)))
struct ManyAppsTests {
    /// An ecosystem file of `count` sleeping fixtures named `prefix0`, `prefix1`, …
    private func writeFile(_ sandbox: Sandbox, _ prefix: String, count: Int) throws -> String {
        let apps = (0..<count).map { #"{"name":"\#(prefix)\#($0)","script":"\#(Binaries.fixture)","args":["--sleep"]}"# }
        return try sandbox.write("\(prefix).json", #"{"apps":["# + apps.joined(separator: ",") + "]}")
    }

    @Test func aFilesAppsStartTogetherAndEachOutcomeIsReported() throws {
        try withSandbox { sandbox in
            let file = try writeFile(sandbox, "app", count: 40)
            #expect(sandbox.startFixture("app3", []).status == 0, "one app of the file already runs")
            try sandbox.waitForStatus("app3", "online")
            let started = sandbox.procctl("start", file)
            #expect(started.status == 0, "\(started)")
            #expect(started.stdout.contains("app3: already running, left alone"), "\(started)")
            let online = started.stdout.split(separator: "\n").filter { $0.contains(": online, pid ") }
            #expect(online.count == 39, "\(started)")
            let listed = try sandbox.list()
            #expect(listed.count == 40)
            #expect(listed.allSatisfy { $0.status == "online" && $0.pid != nil }, "\(listed.map { "\($0.name) \($0.status)" })")
            // The shared environment travels once but every app gets all of it.
            let env = try #require(listed.first { $0.name == "app17" }?.pid.flatMap(ProcessProbe.environment))
            #expect(env["PATH"] == ProcessInfo.processInfo.environment["PATH"])
            #expect(env["PROCD_APP_NAME"] == "app17")
            #expect(env["PROCD_HOME"] == sandbox.home)
            let state = try String(contentsOfFile: sandbox.home + "/state.json", encoding: .utf8)
            let document = try JSONSerialization.jsonObject(with: Data(state.utf8)) as? [String: Any]
            #expect((document?["apps"] as? [Any])?.count == 40, "state.json does not hold the 40 apps")
        }
    }

    @Test func aCrashInTheMiddleOfABatchLeavesNoProcessTheTableDoesNotKnow() throws {
        try withSandbox { sandbox in
            let file = try writeFile(sandbox, "crowd", count: 300)
            #expect(sandbox.procctl("ping").status == 0)
            let daemon = try #require(sandbox.daemonPid)
            let (client, _, _) = try sandbox.launch(Binaries.procctl, ["start", file])
            let started = sandbox.waitUntil(timeout: .seconds(60)) { ProcessProbe.children(of: daemon).count >= 60 }
            #expect(started, "the batch did not begin\n\(sandbox.diagnostics)")
            // Taken before the crash: the keeper starts the next daemon at once, and it may
            // have stopped the strays before the client has noticed the crash.
            let runningAtCrash = marked(sandbox)
            #expect(kill(daemon, SIGKILL) == 0)
            #expect(sandbox.waitUntil { !ProcessProbe.isAlive(daemon) && !client.isRunning })
            #expect(!runningAtCrash.isEmpty, "nothing of the batch ran at the crash; the test proves nothing")

            #expect(sandbox.procctl("list").status == 0)
            // The new daemon stops what it does not know and starts what it does.
            let agree = sandbox.waitUntil(timeout: .seconds(30)) {
                let listed = Set(((try? sandbox.list()) ?? []).filter { $0.status == "online" }.compactMap(\.pid))
                return listed == marked(sandbox)
            }
            let listed = try sandbox.list()
            #expect(agree, "table: \(listed.compactMap(\.pid).count) pids, running: \(marked(sandbox).count)\n\(sandbox.diagnostics)")
            for pid in marked(sandbox) { sandbox.track(pid) }
        }
    }

    /// Running processes whose environment says they belong to this sandbox's daemon.
    private func marked(_ sandbox: Sandbox) -> Set<Int32> {
        let pids = (try? FileManager.default.contentsOfDirectory(atPath: "/proc"))?.compactMap { Int32($0) } ?? []
        return Set(pids.filter { pid in
            guard ProcessProbe.isAlive(pid), let env = ProcessProbe.environment(pid) else { return false }
            return env["PROCD_HOME"] == sandbox.home && env["PROCD_ID"] != nil
        })
    }
}
