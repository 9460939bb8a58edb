import Foundation
import Testing

/// Log capture: every byte of a flood, partial and huge lines, timestamps, rotation, and
/// what `procctl logs` prints (--json, --raw, --out/--err).
@Suite(.serialized, .timeLimit(.minutes(1)))
struct LogCaptureTests {
    @Test func sixtyFourMiBFloodLosesNoByte() throws {
        try withSandbox { sandbox in
            let bytes = 64 << 20
            let started = sandbox.startFixture("flood", ["--spew", String(bytes)], options: ["--no-autorestart"])
            #expect(started.status == 0, "\(started)")
            let flood = try #require(try sandbox.waitForStatus("flood", "stopped", timeout: .seconds(40)).first)
            #expect(flood.exitCode == 0)
            let path = sandbox.logPath("flood")
            var size = 0
            let complete = sandbox.waitUntil(timeout: .seconds(10)) { size = sandbox.size(path); return size >= bytes }
            #expect(complete && size == bytes, "captured \(size) of \(bytes) bytes")
            // The fixture writes lines of 1023 'x' and a newline; every 64 KiB block is the same.
            var line = [UInt8](repeating: UInt8(ascii: "x"), count: 1024)
            line[1023] = UInt8(ascii: "\n")
            let block = Data((0..<64).flatMap { _ in line })
            let data = try #require(FileManager.default.contents(atPath: path))
            var bad: Int?
            for offset in stride(from: 0, to: data.count, by: block.count) {
                let end = min(offset + block.count, data.count)
                if data[offset..<end] != block[0..<(end - offset)] {
                    bad = offset
                    break
                }
            }
            #expect(bad == nil, "content differs from the pattern in the 64 KiB block at offset \(bad ?? -1)")
        }
    }

    @Test func partialLastLineIsWrittenWhenTheAppExits() throws {
        try withSandbox { sandbox in
            let script = try sandbox.write("partial.sh", "printf 'first\\nlast-without-newline'\nexit 0\n")
            #expect(sandbox.procctl("start", script, "--no-autorestart").status == 0)
            try sandbox.waitForStatus("partial", "stopped")
            var log = ""
            let written = sandbox.waitUntil { log = sandbox.outLog("partial"); return log.contains("last-without-newline") }
            #expect(written, "partial last line missing; log: \(log.debugDescription)")
            #expect(log == "first\nlast-without-newline", "log: \(log.debugDescription)")
        }
    }

    @Test func eightMiBLineWithoutNewlineIsCapturedWhole() throws {
        try withSandbox { sandbox in
            let bytes = 8 << 20
            let script = try sandbox.write("huge.sh", "head -c \(bytes) /dev/zero | tr '\\0' y\n")
            #expect(sandbox.procctl("start", script, "--no-autorestart").status == 0)
            try sandbox.waitForStatus("huge", "stopped", timeout: .seconds(20))
            let path = sandbox.logPath("huge")
            var size = 0
            let complete = sandbox.waitUntil { size = sandbox.size(path); return size >= bytes }
            #expect(complete && size == bytes, "captured \(size) of \(bytes) bytes")
            let data = try #require(FileManager.default.contents(atPath: path))
            let foreign = data.firstIndex { $0 != UInt8(ascii: "y") }
            #expect(foreign == nil, "byte \(foreign.map { String(data[$0]) } ?? "") at \(foreign ?? -1) is not 'y'")
        }
    }

    @Test func timeOptionPrefixesEachLineWithAnISO8601Timestamp() throws {
        try withSandbox { sandbox in
            let before = Date().addingTimeInterval(-2)
            #expect(sandbox.startFixture("stamped", ["--lines", "3"], options: ["--time"]).status == 0)
            let log = try sandbox.waitForOutput("stamped", containing: "line 3\n")
            let lines = log.split(separator: "\n").map(String.init)
            #expect(lines.count == 3, "\(lines)")
            let iso = try Regex(#"^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})) line (\d+)$"#)
            for (index, line) in lines.enumerated() {
                let match = try #require(try iso.wholeMatch(in: line), "not an ISO-8601 prefix: \(line)")
                #expect(match.output[4].substring.map(String.init) == String(index + 1))
                let stamp = String(try #require(match.output[1].substring))
                let formatter = ISO8601DateFormatter()
                formatter.formatOptions = stamp.contains(".") ? [.withInternetDateTime, .withFractionalSeconds] : [.withInternetDateTime]
                let date = try #require(formatter.date(from: stamp), "unparsable timestamp \(stamp)")
                #expect(date >= before && date <= Date().addingTimeInterval(2), "timestamp \(stamp) is not now")
            }
        }
    }

    @Test func logDateFormatIsUsedForTimestamps() throws {
        try withSandbox { sandbox in
            let today = Self.localDate(Date())
            #expect(sandbox.startFixture("dated", ["--lines", "2"], options: ["--time", "--log-date-format", "YYYY-MM-DD"]).status == 0)
            let log = try sandbox.waitForOutput("dated", containing: "line 2\n")
            let lines = log.split(separator: "\n").map(String.init)
            let accepted = [today, Self.localDate(Date())]        // the day may turn meanwhile
            let expected = accepted.map { ["\($0) line 1", "\($0) line 2"] }
            #expect(expected.contains(lines), "lines: \(lines), expected dates \(accepted)")
        }
    }

    @Test func rotationKeepsTwoFilesOfAtMostOneMiBAndSplitsNoLine() throws {
        try withSandbox { sandbox in
            let count = 400_000                  // "line N\n": about 5 MiB, so four or five rotations
            let started = sandbox.startFixture("rot", ["--lines", String(count)],
                                               options: ["--log-max-size", "1M", "--log-retain", "2"])
            #expect(started.status == 0, "\(started)")
            let live = sandbox.logPath("rot")
            let last = "line \(count)\n"
            let finished = sandbox.waitUntil(timeout: .seconds(30)) { sandbox.read(live).hasSuffix(last) }
            #expect(finished, "the live log never ended with \(last)\n\(sandbox.diagnostics)")
            let logs = sandbox.home + "/logs"
            let files = try FileManager.default.contentsOfDirectory(atPath: logs).filter { $0.hasPrefix("rot-out.log") }.sorted()
            #expect(files == ["rot-out.log", "rot-out.log.1", "rot-out.log.2"], "\(files)")

            let limit = 1 << 20
            var numbers: [Int] = []
            for name in ["rot-out.log.2", "rot-out.log.1", "rot-out.log"] {
                let text = sandbox.read("\(logs)/\(name)")
                let longest = "line \(count)\n".utf8.count
                #expect(text.utf8.count <= limit + longest, "\(name) holds \(text.utf8.count) bytes")
                #expect(text.hasSuffix("\n"), "\(name) does not end with a whole line")
                for line in text.split(separator: "\n") {
                    guard line.hasPrefix("line "), let n = Int(line.dropFirst(5)) else {
                        Issue.record("\(name) has a broken line: \(line.prefix(40))")
                        continue
                    }
                    numbers.append(n)
                }
            }
            // The oldest lines may be gone; what is kept is the exact sequence up to the end.
            let first = try #require(numbers.first)
            #expect(numbers == Array(first...count), "not one unbroken sequence: \(numbers.count) lines from \(first)")
            #expect(first > 1, "nothing was dropped, so retention did not bound the files")
        }
    }

    @Test func jsonRawAndStreamSelection() throws {
        try withSandbox { sandbox in
            #expect(sandbox.startFixture("mix", ["--stderr", "oops", "--lines", "3"]).status == 0)
            let p = try #require(try sandbox.waitForStatus("mix", "online").first)
            try sandbox.waitForOutput("mix", containing: "line 3\n")
            #expect(sandbox.waitUntil { sandbox.errLog("mix") == "oops\n" })

            let json = sandbox.procctl("logs", "mix", "--lines", "3", "--json")
            #expect(json.status == 0, "\(json)")
            var seen: [String] = []
            for text in json.stdout.split(separator: "\n") {
                let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any], "\(text)")
                #expect(Set(object.keys).isSuperset(of: ["id", "name", "stream", "time", "line"]), "\(text)")
                #expect(object["id"] as? Int == p.id && object["name"] as? String == "mix", "\(text)")
                #expect(object["time"] is NSNull || object["time"] is String, "\(text)")
                seen.append("\(object["stream"] as? String ?? "?"):\(object["line"] as? String ?? "?")")
            }
            #expect(Set(seen) == ["out:line 1", "out:line 2", "out:line 3", "err:oops"], "\(seen)")

            let raw = sandbox.procctl("logs", "mix", "--lines", "3", "--raw", "--out")
            #expect(raw.status == 0 && raw.stdout == "line 1\nline 2\nline 3\n", "\(raw)")
            let err = sandbox.procctl("logs", "mix", "--lines", "3", "--raw", "--err")
            #expect(err.status == 0 && err.stdout == "oops\n", "\(err)")
            let prefixed = sandbox.procctl("logs", "mix", "--lines", "1", "--out")
            #expect(prefixed.stdout.split(separator: "\n").contains { $0.hasPrefix("\(p.id)|mix|") && $0.hasSuffix("line 3") },
                    "\(prefixed)")
            #expect(!prefixed.stdout.contains("oops"))
            let both = sandbox.procctl("logs", "mix", "--out", "--err")
            #expect(both.status == 2, "--out with --err: \(both)")
        }
    }

    /// `YYYY-MM-DD` of a date in local time, as the daemon's localtime_r would give it.
    static func localDate(_ date: Date) -> String {
        var seconds = time_t(date.timeIntervalSince1970)
        var parts = tm()
        localtime_r(&seconds, &parts)
        return String(format: "%04d-%02d-%02d", Int(parts.tm_year) + 1900, Int(parts.tm_mon) + 1, Int(parts.tm_mday))
    }
}
