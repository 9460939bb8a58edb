import ProcdCore
import ProcdPlatform
import ProcdWire
import Testing

/// The packages the tests check, built once by the debug procd-package into a build
/// folder of their own (`swift test` holds the lock on `.build`, and a separate folder
/// stays warm from one run to the next).
enum BuiltPackages {
    static let root: String = {
        var folder = File.parent(of: #filePath)
        while !File.exists(folder + "/Package.swift") && folder != "/" { folder = File.parent(of: folder) }
        return folder
    }()

    /// The folder holding this test bundle, where SwiftPM also puts every executable.
    static var products: String {
        File.parent(of: File.absolute(CommandLine.arguments[0], cwd: File.currentDirectory() ?? "/"))
    }

    static let output = root + "/.build/package-tests/dist"

    /// The folder of packages, or what procd-package said when it failed.
    static let built: (folder: String?, failure: String) = {
        let tool = products + "/procd-package"
        guard File.isExecutable(tool) else { return (nil, "procd-package not found at \(tool)") }
        // A cold release build takes both cores for a minute or two: at the lowest priority
        // it uses what the rest of the suite leaves, so timed tests beside it are not starved.
        let run = Command.run(["/usr/bin/nice", "-n", "19", tool, "--output", output, "--scratch-path", root + "/.build/package-tests"], cwd: root)
        guard run.status == .code(0) else { return (nil, "procd-package failed (\(run.status)):\n\(run.output)") }
        return (output, "")
    }()

    static func folder() throws -> String { try #require(built.folder, "\(built.failure)") }
    static func deb() throws -> String { try folder() + "/procd_\(versionAndArchitecture.version)_\(versionAndArchitecture.debian).deb" }
    static func tarball() throws -> String { try folder() + "/procd-\(versionAndArchitecture.version)-linux-\(versionAndArchitecture.machine).tar.gz" }

    #if arch(x86_64)
    static let versionAndArchitecture = (version: ProcdVersion.current, debian: "amd64", machine: "x86_64")
    #else
    static let versionAndArchitecture = (version: ProcdVersion.current, debian: "arm64", machine: "aarch64")
    #endif
}

/// Runs the programs the tests drive, to completion, with stdin on /dev/null.
enum Command {
    struct Outcome {
        var status: ProcdCore.ExitStatus
        /// stdout, then stderr.
        var output: String
        var standardOutput: String
    }

    /// `argv[0]` is looked up on PATH; `env` is added to this process's environment.
    static func run(_ argv: [String], env extra: [String: String] = [:], cwd: String? = nil) -> Outcome {
        var env = Environment.all()
        for (key, value) in extra { env[key] = value }
        guard let path = Spawn.resolve(argv[0], searchPath: env["PATH"], cwd: File.currentDirectory() ?? "/") else {
            return Outcome(status: .code(127), output: "\(argv[0]) not found on PATH", standardOutput: "")
        }
        do {
            let result = try Subprocess.run(path: path, argv: argv, env: env.map { "\($0.key)=\($0.value)" }, cwd: cwd)
            let out = String(decoding: result.standardOutput, as: UTF8.self)
            return Outcome(status: result.status, output: out + String(decoding: result.standardError, as: UTF8.self), standardOutput: out)
        } catch {
            return Outcome(status: .code(127), output: "unable to run \(argv[0]): \(error)", standardOutput: "")
        }
    }

    static func exists(_ program: String) -> Bool {
        Spawn.resolve(program, searchPath: Environment.get("PATH"), cwd: "/") != nil
    }

    /// A new folder under /tmp with a short name (a PROCD_HOME's socket path must be short).
    static func temporaryFolder() throws -> String {
        try #require(File.makeTemporaryDirectory(prefix: "/tmp/pkgt-"), "unable to make a folder in /tmp")
    }

    static func removeTree(_ folder: String) {
        _ = run(["rm", "-rf", folder])
    }
}
