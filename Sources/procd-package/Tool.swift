import ProcdCore
import ProcdPlatform

/// A failure of the packaging: what was attempted and why it did not work.
struct PackageError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// The programs the package tool runs: `swift` and `git`, and `strip`, `gzip`, `xz`,
/// `md5sum` and `sha256sum` for what would take a library to do in-process (a stripped
/// ELF, deflate and LZMA streams, digests). Every one ships with a Linux that has a Swift
/// toolchain; none is a Debian tool.
enum Tool {
    /// Runs `argv` (argv[0] looked up on PATH) and returns what it printed on stdout.
    /// A non-zero exit is an error carrying its stderr.
    static func output(_ argv: [String], cwd: String? = nil) throws -> [UInt8] {
        let path = try resolve(argv[0])
        let env = Environment.all().map { "\($0.key)=\($0.value)" }
        let result: Subprocess.Output
        do {
            result = try Subprocess.run(path: path, argv: argv, env: env, cwd: cwd, limit: 1 << 30)
        } catch {
            throw PackageError("unable to run \(argv[0]): \(error)")
        }
        guard result.status == .code(0) else {
            let said = String(decoding: result.standardError, as: UTF8.self)
            throw PackageError("'\(argv.joined(separator: " "))' ended with \(result.status): \(said)")
        }
        return result.standardOutput
    }

    /// Like `output`, as text without the trailing newline.
    static func text(_ argv: [String], cwd: String? = nil) throws -> String {
        var text = String(decoding: try output(argv, cwd: cwd), as: UTF8.self)
        while text.hasSuffix("\n") { text.removeLast() }
        return text
    }

    /// Runs `argv` with this tool's stdin and stderr, and its stdout sent to stderr (so a
    /// build's progress shows and stdout keeps only the tool's own report); throws unless
    /// it exits 0.
    static func passThrough(_ argv: [String], cwd: String) throws {
        let path = try resolve(argv[0])
        let env = Environment.all().map { "\($0.key)=\($0.value)" }
        let pid: Int32
        do {
            pid = try Spawn.spawn(Spawn.Request(path: path, argv: argv, env: env, cwd: cwd, descriptors: [0, 2, 2]))
        } catch {
            throw PackageError("unable to run \(argv[0]): \(error)")
        }
        let status = Processes.wait(for: pid)
        guard status == .code(0) else { throw PackageError("'\(argv.joined(separator: " "))' ended with \(status)") }
    }

    /// Runs a tool that reads a file and prints its result (`gzip -c`, `xz -c`, `md5sum`)
    /// on `input`, by way of a file in `scratch`.
    static func filter(_ argv: [String], _ input: [UInt8], scratch: String) throws -> [UInt8] {
        let file = scratch + "/filter-input"
        try File.writeAtomically(file, input, mode: 0o600, durable: false)
        defer { try? File.remove(file) }
        return try output(argv + [file])
    }

    private static func resolve(_ program: String) throws -> String {
        guard let path = Spawn.resolve(program, searchPath: Environment.get("PATH"), cwd: File.currentDirectory() ?? "/") else {
            throw PackageError("\(program) was not found on PATH; the package tool needs it")
        }
        return path
    }
}
