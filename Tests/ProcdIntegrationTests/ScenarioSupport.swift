import Foundation
import Testing

/// Helpers shared by the persistence, configuration-file and health suites: reading
/// `describe --json` and `procctl env`, finding tools on `PATH`, and small text utilities.
enum Scenario {
    /// The first object of `procctl describe TARGET --json`.
    static func describe(_ sandbox: Sandbox, _ target: String) throws -> [String: Any] {
        let result = sandbox.procctl("describe", target, "--json")
        guard result.status == 0 else { throw SandboxError("procctl describe \(target) failed: \(result)") }
        let parsed = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8))
        if let array = parsed as? [[String: Any]], let first = array.first { return first }
        if let object = parsed as? [String: Any] { return object }
        throw SandboxError("describe \(target) --json is neither an object nor a non-empty array:\n\(result.stdout)")
    }

    /// `restarts` and `reason` of the first process of `target`, from `describe --json`.
    static func restartState(_ sandbox: Sandbox, _ target: String) throws -> (restarts: Int, reason: String, pid: Int32?) {
        let object = try describe(sandbox, target)
        let restarts = object["restarts"] as? Int ?? -1
        let reason = object["reason"] as? String ?? ""
        let pid = (object["pid"] as? Int).map { Int32($0) }
        if let pid { sandbox.track(pid) }
        return (restarts, reason, pid)
    }

    /// Waits until `target` has restarted at least once with a reason containing `word`;
    /// returns the last state seen.
    static func waitForRestart(_ sandbox: Sandbox, _ target: String, reasonContaining word: String,
                               timeout: Duration = .seconds(10)) throws -> (restarts: Int, reason: String, pid: Int32?) {
        var last = (restarts: -1, reason: "", pid: Int32?.none)
        let reached = try sandbox.waitUntil(timeout: timeout) {
            last = try restartState(sandbox, target)
            return last.restarts >= 1 && last.reason.lowercased().contains(word)
        }
        guard reached else {
            throw SandboxError("\(target) never restarted for '\(word)' within \(timeout): restarts \(last.restarts), "
                + "reason '\(last.reason)'\n\(sandbox.diagnostics)")
        }
        return last
    }

    /// `procctl env ID` as a dictionary (one `KEY=VALUE` a line).
    static func environment(_ sandbox: Sandbox, id: Int) throws -> [String: String] {
        let result = sandbox.procctl("env", String(id))
        guard result.status == 0 else { throw SandboxError("procctl env \(id) failed: \(result)") }
        var out: [String: String] = [:]
        for line in result.stdout.split(separator: "\n") {
            if let eq = line.firstIndex(of: "=") { out[String(line[..<eq])] = String(line[line.index(after: eq)...]) }
        }
        return out
    }

    /// The full path of `program` on `PATH`, or nil.
    static func which(_ program: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for directory in path.split(separator: ":") {
            let candidate = "\(directory)/\(program)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    static let hasNode = which("node") != nil
    static var hasPython: Bool { python != nil }

    /// The real python3 executable, not a version-manager shim (pyenv's shims are shell
    /// scripts that take a few hundred milliseconds to start on a busy machine, longer than
    /// a short watchdog period).
    static let python: String? = {
        guard let shim = which("python3") else { return nil }
        let process = Process()
        let pipe = Pipe()
        process.executableURL = URL(fileURLWithPath: shim)
        process.arguments = ["-c", "import sys; print(sys.executable)"]
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        guard (try? launchSerially(process)) != nil else { return nil }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let path = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard process.terminationStatus == 0, FileManager.default.isExecutableFile(atPath: path) else { return shim }
        return path
    }()
    static let hasSystemdAnalyze = which("systemd-analyze") != nil

    /// The non-empty lines of `text`.
    static func lines(_ text: String) -> [String] {
        text.split(separator: "\n").map(String.init)
    }

    /// A JSON string literal for `text` (for writing config files with paths in them).
    static func quoted(_ text: String) -> String {
        let data = try? JSONSerialization.data(withJSONObject: [text], options: [.withoutEscapingSlashes])
        let array = data.map { String(decoding: $0, as: UTF8.self) } ?? "[\"\(text)\"]"
        return String(array.dropFirst().dropLast())
    }

    /// The names of the entries of `directory` that start with `prefix`.
    static func entries(in directory: String, prefix: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).filter { $0.hasPrefix(prefix) }
    }
}
