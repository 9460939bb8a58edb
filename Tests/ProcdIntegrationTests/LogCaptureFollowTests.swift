import Foundation
import Testing

/// Live logs: `logs -f` across restarts and rotations, a follower that stops reading,
/// `flush`, and `reload-logs` after an external move.
@Suite(.serialized, .timeLimit(.minutes(1)))
struct LogCaptureFollowTests {
    @Test func followShowsNewLinesAcrossRestartAndRotation() throws {
        try withSandbox { sandbox in
            let script = try sandbox.writeTriggeredApp()
            let started = sandbox.procctl("start", script, "--name", "live", "--log-max-size", "1K", "--log-retain", "2")
            #expect(started.status == 0, "\(started)")
            let first = try #require(try sandbox.waitForStatus("live", "online").first)
            try sandbox.waitForOutput("live", containing: "started")

            let follower = try sandbox.followLogs(["live", "--lines", "1", "--out"])
            defer { sandbox.end(follower.process) }
            // The tail line shows once the follower is connected; anything after it is live.
            try sandbox.waitForFile(follower.output, containing: "started")
            try sandbox.trigger("1")
            try sandbox.waitForFile(follower.output, containing: "marker-1", timeout: .seconds(5))

            let restart = sandbox.procctl("restart", "live")
            #expect(restart.status == 0, "\(restart)")
            let second = try #require(try sandbox.waitForStatus("live", "online").first)
            #expect(second.pid != first.pid && second.id == first.id)
            try sandbox.trigger("2")
            try sandbox.waitForFile(follower.output, containing: "marker-2", timeout: .seconds(5))

            // 40 lines of 50 bytes pass 1 KiB, so the file rotates, then one more marker.
            try sandbox.trigger("fill")
            try sandbox.trigger("3")
            let output = try sandbox.waitForFile(follower.output, containing: "marker-3", timeout: .seconds(5))
            #expect(FileManager.default.fileExists(atPath: sandbox.logPath("live") + ".1"), "the log never rotated")
            #expect(!sandbox.outLog("live").contains("filler-1-"), "marker-3 should be in a fresh file")
            #expect(output.contains("filler-40-"), "filler lines missing from the follower")
            #expect(follower.process.isRunning, "the follower ended: \(sandbox.read(follower.output).suffix(500))")
            let order = ["marker-1", "started \(second.pid ?? 0)", "marker-2", "filler-40-", "marker-3"].map {
                output.range(of: $0)?.lowerBound
            }
            #expect(!order.contains(nil) && order.map { $0! } == order.map { $0! }.sorted(), "out of order:\n\(output)")
        }
    }

    @Test func followWithJSONStampsLiveLines() throws {
        try withSandbox { sandbox in
            let script = try sandbox.writeTriggeredApp()
            #expect(sandbox.procctl("start", script, "--name", "jf").status == 0)
            let p = try #require(try sandbox.waitForStatus("jf", "online").first)
            try sandbox.waitForOutput("jf", containing: "started")
            let follower = try sandbox.followLogs(["jf", "--lines", "1", "--json"])
            defer { sandbox.end(follower.process) }
            try sandbox.waitForFile(follower.output, containing: "started")
            try sandbox.trigger("json")
            let output = try sandbox.waitForFile(follower.output, containing: "marker-json\"", timeout: .seconds(5))
            let line = try #require(output.split(separator: "\n").first { $0.contains("marker-json") })
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            #expect(object["id"] as? Int == p.id && object["name"] as? String == "jf" && object["stream"] as? String == "out")
            #expect(object["line"] as? String == "marker-json")
            let time = try #require(object["time"] as? String, "a live line has no time: \(line)")
            let formatter = ISO8601DateFormatter()
            formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
            let date = formatter.date(from: time) ?? ISO8601DateFormatter().date(from: time)
            #expect(date.map { abs($0.timeIntervalSinceNow) < 30 } == true, "time \(time) is not an ISO-8601 now")
        }
    }

    @Test func stalledFollowerDoesNotStallAFloodingApp() throws {
        try withSandbox { sandbox in
            let bytes = 48 << 20
            let script = try sandbox.write("flood.sh", """
                echo waiting
                while [ ! -f go ]; do sleep 0.02; done
                exec \(Binaries.fixture) --spew \(bytes) --stay

                """)
            #expect(sandbox.procctl("start", script, "--name", "gush").status == 0)
            try sandbox.waitForStatus("gush", "online")
            try sandbox.waitForOutput("gush", containing: "waiting")

            let fd = try #require(Network.connectUnix(sandbox.socketPath))
            defer { close(fd) }
            var small: Int32 = 4096
            _ = setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &small, socklen_t(MemoryLayout<Int32>.size))
            let follow = #"{"id":1,"cmd":"logs","args":{"targets":["gush"],"follow":true,"lines":0}}"#
            // A ping on the same connection is answered after the follow request is handled.
            #expect(Network.send(fd, follow + "\n" + #"{"id":2,"cmd":"ping"}"# + "\n"))
            var reply: String?
            let registered = sandbox.waitUntil(timeout: .seconds(5)) {
                reply = Network.readLine(fd)
                return reply?.contains(#""id":2"#) == true || reply == nil
            }
            #expect(registered && reply?.contains(#""ok":true"#) == true, "ping on the follow connection: \(reply ?? "nothing")")
            // From here on this client never reads again.

            try sandbox.write("go", "1")
            let path = sandbox.logPath("gush")
            let clock = ContinuousClock()
            let pingStart = clock.now
            let ping = sandbox.procctl("ping")
            #expect(ping.status == 0, "ping during the flood: \(ping)")
            #expect(clock.now - pingStart < .seconds(5), "ping took \(clock.now - pingStart)")
            var size = 0
            let grown = sandbox.waitUntil(timeout: .seconds(30)) {
                size = sandbox.size(path)
                return size >= bytes + "waiting\n".utf8.count
            }
            #expect(grown, "the app's output stalled at \(size) bytes\n\(sandbox.diagnostics)")
            let after = sandbox.procctl("ping")
            #expect(after.status == 0, "ping after the flood: \(after)")
            #expect(try sandbox.processes(named: "gush").first?.status == "online")
        }
    }

    @Test func flushEmptiesTheFilesAndNewOutputStartsAtTheTop() throws {
        try withSandbox { sandbox in
            let script = try sandbox.writeTriggeredApp()
            #expect(sandbox.procctl("start", script, "--name", "fl").status == 0)
            try sandbox.waitForStatus("fl", "online")
            try sandbox.trigger("before")
            try sandbox.waitForOutput("fl", containing: "marker-before")
            let flush = sandbox.procctl("flush", "fl")
            #expect(flush.status == 0, "\(flush)")
            #expect(sandbox.size(sandbox.logPath("fl")) == 0, "out log: \(sandbox.outLog("fl").debugDescription)")
            #expect(sandbox.size(sandbox.logPath("fl", "err")) == 0)
            try sandbox.trigger("after")
            let log = try sandbox.waitForOutput("fl", containing: "marker-after")
            #expect(log == "marker-after\n", "after flush the file holds \(log.debugDescription)")
        }
    }

    @Test func reloadLogsAfterAMoveWritesToAFreshFileAtTheOriginalPath() throws {
        try withSandbox { sandbox in
            let script = try sandbox.writeTriggeredApp()
            #expect(sandbox.procctl("start", script, "--name", "mv").status == 0)
            try sandbox.waitForStatus("mv", "online")
            try sandbox.waitForOutput("mv", containing: "started")
            let path = sandbox.logPath("mv")
            let moved = path + ".moved"
            #expect(rename(path, moved) == 0, "mv failed: errno \(errno)")
            try sandbox.trigger("old")
            try sandbox.waitForFile(moved, containing: "marker-old")   // still the open file

            let reload = sandbox.procctl("reload-logs")
            #expect(reload.status == 0, "\(reload)")
            try sandbox.trigger("new")
            let fresh = try sandbox.waitForFile(path, containing: "marker-new")
            #expect(fresh == "marker-new\n", "fresh file: \(fresh.debugDescription)")
            #expect(!sandbox.read(moved).contains("marker-new"))
        }
    }
}
