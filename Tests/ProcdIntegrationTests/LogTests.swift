import Foundation
import Testing

/// App output: where it lands, that none of it is lost, and what `procctl logs` prints.
@Suite("Log capture", .serialized, .timeLimit(.minutes(1)))
struct LogTests {
    @Test func outputLandsInLogFilesAndLogsPrintsTheTail() throws {
        try withSandbox { sandbox in
            #expect(sandbox.startFixture("talker", ["--stderr", "oops", "--lines", "5"]).status == 0)
            let p = try #require(try sandbox.waitForStatus("talker", "online").first)
            try sandbox.waitForOutput("talker", containing: "line 5\n")
            #expect(sandbox.outLog("talker") == "line 1\nline 2\nline 3\nline 4\nline 5\n")
            #expect(sandbox.waitUntil { sandbox.errLog("talker") == "oops\n" }, "err log: \(sandbox.errLog("talker"))")

            let logs = sandbox.procctl("logs", "talker", "--lines", "2")
            #expect(logs.status == 0, "\(logs)")
            // pm2 style: `ID|NAME|` then the line, with or without a space between.
            let prefix = "\(p.id)|talker|"
            let lines = logs.stdout.split(separator: "\n").filter { $0.hasPrefix(prefix) }.map { line in
                let rest = line.dropFirst(prefix.count)
                return String(rest.hasPrefix(" ") ? rest.dropFirst() : rest)
            }
            #expect(lines == ["line 4", "line 5", "oops"], "\(logs.stdout)")
            #expect(!logs.stdout.contains("line 3"))
            let errOnly = sandbox.procctl("logs", "talker", "--lines", "2", "--err", "--raw")
            #expect(errOnly.stdout == "oops\n", "\(errOnly)")
        }
    }

    @Test func floodIsCapturedWithoutLosingAByte() throws {
        try withSandbox { sandbox in
            let bytes = 8_000_000
            _ = sandbox.startFixture("flood", ["--spew", String(bytes)], options: ["--no-autorestart"])
            let flood = try #require(try sandbox.waitForStatus("flood", "stopped", timeout: .seconds(30)).first)
            #expect(flood.exitCode == 0)
            let path = "\(sandbox.home)/logs/flood-out.log"
            var size = 0
            let complete = sandbox.waitUntil(timeout: .seconds(10)) {
                size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
                return size >= bytes
            }
            #expect(complete && size == bytes, "captured \(size) of \(bytes) bytes")
            let data = try #require(FileManager.default.contents(atPath: path))
            let newlines = data.reduce(0) { $0 + ($1 == UInt8(ascii: "\n") ? 1 : 0) }
            #expect(newlines == bytes / 1024, "line structure changed: \(newlines) lines")
        }
    }

    @Test func linesOfSeveralInstancesStayWhole() throws {
        try withSandbox { sandbox in
            _ = sandbox.startFixture("chorus", ["--lines", "2000"], options: ["--instances", "2"])
            try sandbox.waitForStatus("chorus", "online", count: 2)
            var log = ""
            let done = sandbox.waitUntil {
                log = sandbox.outLog("chorus")
                return log.components(separatedBy: "line 2000\n").count == 3
            }
            #expect(done, "both instances never finished writing")
            let lines = log.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
            let broken = lines.filter { !$0.hasPrefix("line ") || Int($0.dropFirst(5)) == nil }
            #expect(lines.count == 4000 && broken.isEmpty, "\(lines.count) lines, broken: \(broken.prefix(3))")
        }
    }
}
