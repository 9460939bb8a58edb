import Foundation
import Testing

/// Config files larger than one request: the apps go to the daemon in batches that fit
/// its 1 MiB request line, and a value too large for any request is refused by name.
@Suite("Large requests", .serialized, .timeLimit(.minutes(3)))
struct LargeRequestTests {
    /// Apps of one file, more than one request holds by count (500) and by bytes (1 MiB).
    /// 10,000 apps, spawned on two cores, would starve the suites running beside this one:
    /// that size runs with PROCD_HEAVY_TESTS=1 (about 70 s alone).
    static let counts = ProcessInfo.processInfo.environment["PROCD_HEAVY_TESTS"] == "1" ? [1_200, 10_000] : [1_200]

    @Test(arguments: counts)
    func everyAppOfALargeFileStarts(count: Int) throws {
        try withSandbox { sandbox in
            // Short-lived apps: 10,000 sleeping processes would pass this machine's
            // descriptor limit, and what is tested is that every definition arrives.
            // A kilobyte of each app's own: 1,200 apps pass 1 MiB.
            let padding = String(repeating: "p", count: 1000)
            let apps = (0..<count).map {
                #"{"name":"many\#($0)","script":"/bin/true","autorestart":false,"env":{"N":"\#($0)","PAD":"\#(padding)"}}"#
            }
            let file = try sandbox.write("many.json", #"{"apps":["# + apps.joined(separator: ",") + "]}")
            let started = sandbox.run(Binaries.procctl, ["start", file], environment: sandbox.environment, timeout: .seconds(150))
            sandbox.noteDaemon()
            #expect(started.status == 0, "\(started.stderr.prefix(2000))")
            #expect(!started.stderr.contains("longer than"), "\(started.stderr.prefix(2000))")
            let reported = started.stdout.split(separator: "\n").filter { $0.hasPrefix("many") }
            #expect(reported.count == count, "\(reported.count) apps reported")
            let listed = sandbox.run(Binaries.procctl, ["jlist"], environment: sandbox.environment, timeout: .seconds(60))
            let items = try JSONSerialization.jsonObject(with: Data(listed.stdout.utf8)) as? [[String: Any]] ?? []
            #expect(Set(items.compactMap { $0["name"] as? String }).count == count, "\(items.count) in the table")
            // Every one ran: each was spawned and its exit recorded.
            let finished = sandbox.waitUntil(timeout: .seconds(60)) {
                let now = sandbox.run(Binaries.procctl, ["jlist"], environment: sandbox.environment, timeout: .seconds(60))
                let all = (try? JSONSerialization.jsonObject(with: Data(now.stdout.utf8)) as? [[String: Any]]) ?? []
                return all.count == count && all.allSatisfy { $0["status"] as? String == "stopped" && $0["exit_code"] as? Int == 0 }
            }
            #expect(finished, "not every app ran to its exit")
        }
    }

    @Test func aValueTooLargeForARequestIsRefusedNamingTheAppTheKeyAndTheLimit() throws {
        try withSandbox { sandbox in
            let huge = String(repeating: "v", count: 10 << 20)
            let file = try sandbox.write("huge.json", #"{"apps":[{"name":"small","script":"/bin/true"},"#
                + #"{"name":"heavy","script":"/bin/true","env":{"BLOB":"\#(huge)"}}]}"#)
            let refused = sandbox.procctl("start", file)
            #expect(refused.status == 1, "\(refused.stdout.prefix(500)) \(refused.stderr.prefix(500))")
            #expect(refused.stderr.contains("procctl: error: \(file): app 'heavy': 'env.BLOB' is 10485762 bytes"), "\(refused.stderr.prefix(500))")
            #expect(refused.stderr.contains("at most 1048576 bytes (1 MiB)"), "\(refused.stderr.prefix(500))")
            #expect(!FileManager.default.fileExists(atPath: sandbox.home + "/procd.pid"), "something was sent: a daemon was started")
        }
    }
}
