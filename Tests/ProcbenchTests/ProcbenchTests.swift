import ProcdPlatform
import Testing

/// Runs the built `procbench --smoke` and checks that it completes and prints its report.
/// Timings are never asserted: they belong to the benchmark, not to a test.
@Suite(.serialized)
struct ProcbenchTests {
    /// The directory holding the test bundle, where SwiftPM also puts every executable.
    static var productsDirectory: String {
        File.parent(of: File.absolute(CommandLine.arguments[0], cwd: File.currentDirectory() ?? "/"))
    }

    @Test(.timeLimit(.minutes(2)))
    func smokeRunCompletesAndPrintsItsTable() throws {
        let procbench = Self.productsDirectory + "/procbench"
        #expect(File.isExecutable(procbench), "procbench not found at \(procbench)")
        let run = try Run(procbench, ["--smoke"])
        #expect(run.status == 0, "procbench --smoke exited with \(run.status):\n\(run.output)")
        #expect(run.output.contains("figure"))
        #expect(run.output.contains("respawn after kill -9"))
        #expect(run.output.contains("log capture"))
        #expect(run.output.contains("quality bars (SPEC)"))
        #expect(run.output.contains("supervisord: skipped"))
        let verdicts = run.output.split(separator: "\n").filter { $0.hasPrefix("PASS") || $0.hasPrefix("FAIL") || $0.hasPrefix("SKIP") }
        #expect(verdicts.count == 16, "expected one verdict line per SPEC bar (and the keeper's memory):\n\(run.output)")
        #expect(run.output.contains("apps from one file"))
        #expect(run.output.contains("list RPC"))
    }

    @Test(.timeLimit(.minutes(2)))
    func filesComparesTwoSizesOfConfigFile() throws {
        let run = try Run(Self.productsDirectory + "/procbench", ["files", "--apps", "3,30", "--samples", "1"])
        #expect(run.status == 0, "procbench files exited with \(run.status):\n\(run.output)")
        #expect(run.output.contains("start 3 apps from one file"), "\(run.output)")
        #expect(run.output.contains("start 30 apps from one file"), "\(run.output)")
        #expect(run.output.contains("time per app, 30 apps over 3:"), "\(run.output)")
        let usage = try Run(Self.productsDirectory + "/procbench", ["files", "--apps", "10"])
        #expect(usage.status == 2 && usage.output.contains("procbench: error: --apps needs two positive numbers"), "\(usage.output)")
    }

    @Test func stacksComparesATreeWithTheSameAppsWithoutOne() throws {
        let run = try Run(Self.productsDirectory + "/procbench", ["stacks", "--apps", "12", "--depth", "4", "--samples", "1", "--idle-seconds", "0"])
        #expect(run.status == 0, "procbench stacks exited with \(run.status):\n\(run.output)")
        #expect(run.output.contains("12 apps, a tree 4 deep: all online in"), "\(run.output)")
        #expect(run.output.contains("tree over no dependencies:"), "\(run.output)")
        let usage = try Run(Self.productsDirectory + "/procbench", ["stacks", "--depth", "20", "--apps", "10"])
        #expect(usage.status == 2 && usage.output.contains("--depth cannot exceed --apps"), "\(usage.output)")
    }

    @Test func unknownOptionIsAUsageError() throws {
        let run = try Run(Self.productsDirectory + "/procbench", ["--no-such-option"])
        #expect(run.status == 2)
        #expect(run.output.contains("procbench: error: unknown option '--no-such-option'"))
    }
}

/// One finished run of a program: its exit status and its stdout and stderr together.
struct Run {
    var status: Int32
    var output: String

    init(_ path: String, _ arguments: [String]) throws {
        let pipe = try Pipe()
        let null = try File.openNull()
        let request = Spawn.Request(
            path: path, argv: [path] + arguments, env: Environment.all().map { "\($0.key)=\($0.value)" },
            cwd: nil, descriptors: [null.raw, pipe.writeEnd.raw, pipe.writeEnd.raw])
        let pid = try Spawn.spawn(request)
        null.close()
        pipe.writeEnd.close()
        output = String(decoding: try pipe.readEnd.readToEnd(limit: 16 << 20), as: UTF8.self)
        pipe.readEnd.close()
        // Only this pid: reaping every child would steal those the other suites wait for.
        switch Processes.wait(for: pid) {
        case .code(let code): status = code
        case .signal(let signal): status = 128 + signal
        }
    }
}
