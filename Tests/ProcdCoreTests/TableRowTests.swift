import Testing

@testable import ProcdCore

@Suite struct TableRowTests {
    struct Case: Sendable {
        var name: String
        var namespace: String
        var pid: Int32?
        var status: ProcessStatus
        var restarts: Int
        var uptime: Int64?
        var cpu: Double
        var memory: Int64
    }

    @Test(arguments: [
        Case(name: "api", namespace: "default", pid: 4242, status: .online, restarts: 3, uptime: 61_000, cpu: 12.34, memory: 7_340_032),
        Case(name: "worker \"q\"\n", namespace: "jobs\\x", pid: nil, status: .stopped, restarts: 0, uptime: nil, cpu: 0, memory: 0),
        Case(name: "日本", namespace: "ns", pid: 1, status: .errored, restarts: 16, uptime: 0, cpu: 199.96, memory: 1 << 40),
        Case(name: "w", namespace: "default", pid: 2_147_483_647, status: .launching, restarts: 1_000_000, uptime: 9_000_000_000, cpu: 0.05, memory: 1),
    ])
    func matchesTheSnapshotsTableJSON(_ c: Case) {
        var snapshot = ProcessSnapshot(id: 7, name: c.name, namespace: c.namespace, instance: 2, status: c.status,
                                       command: ["x"], cwd: "/", outLog: "", errLog: "")
        snapshot.pid = c.pid
        snapshot.restarts = c.restarts
        snapshot.uptimeMilliseconds = c.uptime
        snapshot.cpu = c.cpu
        snapshot.memory = c.memory
        var row: [UInt8] = []
        TableRow.append(
            prefix: TableRow.prefix(id: 7, name: c.name, namespace: c.namespace, instance: 2), pid: c.pid, status: c.status,
            restarts: c.restarts, uptimeMilliseconds: c.uptime, cpu: c.cpu, memory: c.memory, to: &row)
        #expect(String(decoding: row, as: UTF8.self) == snapshot.tableJSON.serialized())
    }

    @Test(arguments: [Int64(0), 7, 10, 99, 100, -1, -987_654_321, .max, .min])
    func writesIntegersAsDecimal(_ value: Int64) {
        var out: [UInt8] = []
        TableRow.appendInteger(value, to: &out)
        #expect(String(decoding: out, as: UTF8.self) == String(value))
    }
}
