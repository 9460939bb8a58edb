import Testing

@testable import ProcdCore

@Suite struct ListRowTests {
    /// Snapshots with every optional field absent, then present, and strings to escape.
    static let cases: [ProcessSnapshot] = {
        let bare = ProcessSnapshot(id: 0, name: "api", namespace: "default", instance: 0, status: .stopped,
                                   command: [], cwd: "/", outLog: "/h/logs/api-out.log", errLog: "/h/logs/api-err.log")
        var full = ProcessSnapshot(id: 41, name: "wörker \"q\"", namespace: "ns\\1", instance: 3, status: .online,
                                   command: ["/usr/bin/node", "a b.js", "--x=\"y\"\n"], cwd: "/srv/ä",
                                   outLog: "/o\tut", errLog: "/err")
        full.pid = 12_345
        full.restarts = 7
        full.unstableRestarts = 2
        full.uptimeMilliseconds = 98_765
        full.startedAtMilliseconds = 1_764_900_000_123
        full.cpu = 12.345
        full.memory = 52_428_800
        full.exitCode = 3
        full.exitSignal = "SIGKILL"
        full.ports = [80, 8080]
        full.reason = "crashed (exit code 3)"
        full.notReady = "never called listen()"
        full.ready = true
        var errored = bare
        errored.status = .errored
        errored.cpu = 0.04
        errored.reason = "gave up \u{1}"
        errored.ready = false
        return [bare, full, errored]
    }()

    @Test(arguments: cases)
    func writesWhatTheJSONTreeSerialisesTo(_ snapshot: ProcessSnapshot) {
        var out: [UInt8] = []
        ListRow.append(ListRow.parts(snapshot), uptimeMilliseconds: snapshot.uptimeMilliseconds,
                       cpu: snapshot.cpu, memory: snapshot.memory, to: &out)
        #expect(String(decoding: out, as: UTF8.self) == snapshot.json.serialized())
    }
}
