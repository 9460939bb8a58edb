import Foundation
import Testing

/// What each process is given: environment, cwd, process group, signal state, descriptors.
@Suite("Process environment", .serialized, .timeLimit(.minutes(1)))
struct ProcessEnvironmentTests {
    @Test func threeInstancesGetInstanceNumbers() throws {
        try withSandbox { sandbox in
            let result = sandbox.startFixture("multi", ["--print-env"], options: ["--instances", "3"])
            #expect(result.status == 0, "\(result)")
            let processes = try sandbox.waitForStatus("multi", "online", count: 3)
            #expect(processes.map(\.instance).sorted() == [0, 1, 2])
            #expect(Set(processes.compactMap(\.pid)).count == 3)
            #expect(Set(processes.map(\.id)).count == 3)
            var log = ""
            let printed = sandbox.waitUntil {
                log = sandbox.outLog("multi")
                let lines = Set(log.split(separator: "\n"))
                return (0..<3).allSatisfy { lines.contains("PROCD_INSTANCE=\($0)") }
            }
            #expect(printed, "merged log lacks PROCD_INSTANCE 0, 1 and 2:\n\(log)")
            for p in processes {
                let pid = try #require(p.pid)
                let env = try #require(ProcessProbe.environment(pid))
                #expect(env["PROCD_INSTANCE"] == String(p.instance))
                #expect(env["NODE_APP_INSTANCE"] == String(p.instance))
                #expect(env["PROCD_ID"] == String(p.id))
            }
        }
    }

    @Test func environmentNamesTheProcessAndCarriesEnvValues() throws {
        try withSandbox { sandbox in
            let options = ["--env", "GREETING=hello", "--env", "SPACED=a b=c"]
            #expect(sandbox.startFixture("envy", ["--print-env"], options: options).status == 0)
            let p = try #require(try sandbox.waitForStatus("envy", "online").first)
            let log = try sandbox.waitForOutput("envy", containing: "SPACED=")
            let env = parseEnv(log)
            #expect(env["PROCD_APP_NAME"] == "envy")
            #expect(env["PROCD_ID"] == String(p.id))
            #expect(env["PROCD_INSTANCE"] == "0")
            #expect(env["NODE_APP_INSTANCE"] == "0")
            #expect(env["pm_id"] == String(p.id))
            #expect(env["name"] == "envy")
            #expect(env["GREETING"] == "hello")
            #expect(env["SPACED"] == "a b=c")
            #expect(env["NOTIFY_SOCKET"]?.isEmpty == false)
            #expect(env["PROCD_READY_FD"] == nil, "the daemon's launch variable leaked")

            let shown = sandbox.procctl("env", String(p.id))
            #expect(shown.status == 0, "\(shown)")
            #expect(shown.stdout.contains("GREETING=hello\n"))
            #expect(shown.stdout.contains("PROCD_APP_NAME=envy\n"))
        }
    }

    @Test func workingDirectoryIsTheCwdOption() throws {
        try withSandbox { sandbox in
            let directory = sandbox.work + "/place"
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            #expect(sandbox.startFixture("here", ["--print-cwd"], options: ["--cwd", directory]).status == 0)
            let p = try #require(try sandbox.waitForStatus("here", "online").first)
            #expect(p.cwd == directory)
            let log = try sandbox.waitForOutput("here", containing: "cwd ")
            #expect(log.contains("cwd \(directory)\n"), "\(log)")
        }
    }

    @Test func childLeadsItsOwnGroupWithNoIgnoredStandardSignal() throws {
        try withSandbox { sandbox in
            #expect(sandbox.startFixture("leader", ["--print-pgid", "--print-sigign"]).status == 0)
            let pid = try #require(try sandbox.waitForStatus("leader", "online").first?.pid)
            let log = try sandbox.waitForOutput("leader", containing: "SigIgn:")
            #expect(log.split(separator: "\n").contains("pid \(pid) pgid \(pid)"), "not a group leader:\n\(log)")
            // Signals 1...31 (SIGPIPE above all, which procd itself ignores) must be at their default.
            let mask = try #require(ignoredSignalMask(log))
            #expect(mask & 0x7FFF_FFFF == 0, "ignored standard signals: \(String(mask, radix: 16))")
        }
    }

    @Test
    func childHasAnEmptySigIgnSet() throws {
        try withSandbox { sandbox in
            #expect(sandbox.startFixture("clean", ["--print-sigign"]).status == 0)
            try sandbox.waitForStatus("clean", "online")
            let mask = try #require(ignoredSignalMask(try sandbox.waitForOutput("clean", containing: "SigIgn:")))
            #expect(mask == 0, "SigIgn \(String(mask, radix: 16))")
        }
    }

    /// The mask of the fixture's `SigIgn:` line (bit N-1 stands for signal N).
    private func ignoredSignalMask(_ log: String) -> UInt64? {
        let line = log.split(separator: "\n").first { $0.hasPrefix("SigIgn:") }
        return line.flatMap { UInt64($0.dropFirst("SigIgn:".count).trimmingCharacters(in: .whitespaces), radix: 16) }
    }

    /// The fd-leak test: no daemon descriptor reaches an app, even with other apps' log
    /// pipes and clients open in the daemon.
    @Test func appHoldsOnlyStandardDescriptors() throws {
        try withSandbox { sandbox in
            #expect(sandbox.startFixture("neighbour", ["--lines", "3"]).status == 0)
            try sandbox.waitForStatus("neighbour", "online")
            #expect(sandbox.startFixture("fds", ["--print-fds"]).status == 0)
            try sandbox.waitForStatus("fds", "online")
            let log = try sandbox.waitForOutput("fds", containing: "fds ")
            #expect(log.split(separator: "\n").contains("fds 0 1 2"), "leaked descriptors: \(log)")

            let python = try sandbox.write("fds.py", "import os\nprint('pyfds', sorted(int(f) for f in os.listdir('/proc/self/fd')))\n")
            _ = sandbox.procctl("start", python, "--name", "pyfds", "--no-autorestart")
            let pyLog = try sandbox.waitForOutput("pyfds", containing: "pyfds")
            // listdir itself holds one descriptor open while it reads.
            let line = pyLog.split(separator: "\n").first { $0.hasPrefix("pyfds") } ?? ""
            #expect(line == "pyfds [0, 1, 2, 3]", "\(line)")
        }
    }

    private func parseEnv(_ log: String) -> [String: String] {
        var env: [String: String] = [:]
        for line in log.split(separator: "\n") {
            if let eq = line.firstIndex(of: "=") { env[String(line[..<eq])] = String(line[line.index(after: eq)...]) }
        }
        return env
    }
}
