import Foundation
import ProcdPlatform

/// Drives `procbench floor-daemon` over a pair of pipes: the lower limit for spawning.
final class FloorManager: Manager {
    let name = "floor"
    let capturesLogs = false
    private let binaries: Binaries
    private(set) var daemonPid: Int32?
    private var requests: OwnedFD?
    private var answers: OwnedFD?
    private var online: [String: Int] = [:]

    init(binaries: Binaries) { self.binaries = binaries }

    func launch() throws {
        let input = try ProcdPlatform.Pipe()
        let output = try ProcdPlatform.Pipe()
        let pid = try Command.spawn([binaries.procbench, "floor-daemon"], descriptors: [input.readEnd.raw, output.writeEnd.raw, -1])
        input.readEnd.close()
        output.writeEnd.close()
        daemonPid = pid
        requests = input.writeEnd
        answers = output.readEnd
    }

    func start(_ app: String, _ workload: Workload) throws {
        try ask((["start", String(workload.count), binaries.fixture] + workload.arguments).joined(separator: "\t"))
        online[app] = workload.count
    }

    func onlineCount(_ app: String) throws -> Int { online[app] ?? 0 }

    /// The floor has no status command: nothing to time.
    func listRoundTrip() throws -> Double { throw BenchError("the floor has no status command") }

    func stopAll() throws {
        try ask("stop")
        online.removeAll()
    }

    func removeAll() throws {}

    func logPath(_ app: String) -> String? { nil }

    func shutdown() {
        requests?.close()                      // end of stdin: the floor stops its children and exits
        requests = nil
        answers?.close()
        answers = nil
        if let pid = daemonPid {
            if !waitUntil(timeout: 10, { Command.hasEnded(pid) }) {
                _ = try? Processes.signal(pid, SIGKILL)
                Command.wait(pid)
            }
        }
        daemonPid = nil
    }

    /// Sends one command line and reads the one-line answer.
    private func ask(_ line: String) throws {
        guard let requests, let answers else { throw BenchError("the floor is not running") }
        try requests.writeAll(line + "\n")
        var reply: [UInt8] = []
        var byte = [UInt8](repeating: 0, count: 1)
        while reply.last != UInt8(ascii: "\n") {
            let result = try byte.withUnsafeMutableBytes { try answers.read(into: $0) }
            guard case .bytes = result else { throw BenchError("the floor daemon ended unexpectedly") }
            reply.append(byte[0])
        }
        let text = String(decoding: reply.dropLast(), as: UTF8.self)
        if text != "ok" { throw BenchError("floor: \(text)") }
    }
}
