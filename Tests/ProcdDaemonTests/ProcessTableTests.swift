import ProcdCore
import Testing

@testable import ProcdDaemon

func app(_ name: String) -> ManagedApp {
    ManagedApp(spec: AppSpec(name: name, command: ["/bin/true"], cwd: "/"))
}

func slot(_ id: Int, pid: Int32? = nil) -> ManagedProcess {
    let process = ManagedProcess(id: id, appName: "web", instance: 0, policy: RestartPolicy(), outLog: "", errLog: "")
    process.pid = pid
    return process
}

/// The phases a slot can be in when the daemon looks at the draining set, reached through
/// the lifecycle's own events; only the last is still draining.
enum DrainPhase: CaseIterable, Sendable {
    case stopped, online, stoppingWithLeader, stoppingLeaderExited

    var events: [Lifecycle.Event] {
        switch self {
        case .stopped: []
        case .online: [.start, .spawned]
        case .stoppingWithLeader: [.start, .spawned, .stop]
        case .stoppingLeaderExited: [.start, .spawned, .stop, .exited(.code(0), groupAlive: true)]
        }
    }

    func apply(to process: ManagedProcess) {
        for event in events { _ = process.lifecycle.handle(event, at: .zero) }
    }
}

extension ProcessTable {
    func makeSlot() -> ManagedProcess {
        makeProcess(appName: "web", instance: 0, policy: RestartPolicy(), outLog: "", errLog: "")
    }

    /// A table with one slot whose leader exited while it was stopping, marked draining.
    static func draining() -> (ProcessTable, ManagedProcess) {
        let table = ProcessTable()
        let process = slot(0)
        DrainPhase.stoppingLeaderExited.apply(to: process)
        table.insert(process)
        table.markDraining(process)
        return (table, process)
    }
}

struct ProcessTableTests {
    @Test func appsKeepTheOrderTheyWereAddedIn() {
        let table = ProcessTable()
        for name in ["web", "api", "worker"] { table.add(app(name)) }
        #expect(table.appNames == ["web", "api", "worker"])
        #expect(table.appsInOrder.map(\.spec.name) == ["web", "api", "worker"])
    }

    @Test func addingAnAppAgainReplacesItInPlace() {
        let table = ProcessTable()
        table.add(app("web"))
        table.add(app("api"))
        let replacement = app("web")
        table.add(replacement)
        #expect(table.appNames == ["web", "api"])
        #expect(table.appCount == 2)
        #expect(table.app("web") === replacement)
    }

    @Test(arguments: [
        ("web", ["api", "worker"]), ("api", ["web", "worker"]), ("worker", ["web", "api"]),
        ("missing", ["web", "api", "worker"]),
    ])
    func removeApp(name: String, left: [String]) {
        let table = ProcessTable()
        for added in ["web", "api", "worker"] { table.add(app(added)) }
        table.removeApp(name)
        #expect(table.appNames == left)
        #expect(table.app(name) == nil)
    }

    @Test func madeSlotsTakeIncreasingIdsAndStayOutOfTheTable() {
        let table = ProcessTable()
        let ids = (0..<3).map { _ in table.makeSlot().id }
        #expect(ids == [0, 1, 2])
        #expect(table.nextID == 3)
        #expect(table.processCount == 0)
    }

    /// Slots adopted from an earlier daemon come with their ids, in any order.
    @Test(arguments: [([7], 8), ([2, 9, 4], 10), ([0], 1)])
    func insertingAnAdoptedSlotMovesTheNextIdPastIt(ids: [Int], next: Int) {
        let table = ProcessTable()
        for id in ids { table.insert(slot(id)) }
        #expect(table.nextID == next)
        #expect(table.processIDs == ids.sorted())
        #expect(table.makeSlot().id == next)
    }

    /// `reserveIDs` only ever raises the next id.
    @Test(arguments: [(0, 5, 5), (3, 5, 5), (8, 5, 8), (4, 4, 4)])
    func reserveIDs(made: Int, below: Int, next: Int) {
        let table = ProcessTable()
        for _ in 0..<made { _ = table.makeSlot() }
        table.reserveIDs(below: below)
        #expect(table.nextID == next)
    }

    @Test func bindAndUnbindKeepThePidIndex() {
        let table = ProcessTable()
        let process = slot(0)
        table.insert(process)
        #expect(!table.isSlotPid(100))
        table.bind(100, to: process)
        #expect(table.isSlotPid(100))
        #expect(table.process(pid: 100) === process)
        #expect(table.unbind(100) === process)
        #expect(!table.isSlotPid(100))
        #expect(table.process(pid: 100) == nil)
        #expect(table.unbind(100) == nil)
    }

    @Test func insertingARunningSlotIndexesItsPid() {
        let table = ProcessTable()
        let running = slot(3, pid: 200)
        table.insert(running)
        table.insert(slot(4))
        #expect(table.process(pid: 200) === running)
        #expect(table.isSlotPid(200))
    }

    @Test func removingASlotDropsItsPid() {
        let table = ProcessTable()
        let process = slot(0, pid: 100)
        table.insert(process)
        table.removeProcess(process)
        #expect(table.process(0) == nil)
        #expect(!table.isSlotPid(100))
    }

    /// The pid went on to run in another slot: removing the old slot must not unindex it.
    @Test func removingASlotKeepsItsPidIfAnotherSlotHasIt() {
        let table = ProcessTable()
        let old = slot(0, pid: 100)
        let new = slot(1)
        table.insert(old)
        table.insert(new)
        table.bind(100, to: new)
        table.removeProcess(old)
        #expect(table.process(pid: 100) === new)
    }

    @Test(arguments: DrainPhase.allCases)
    func onlyStoppingSlotsWithTheirLeaderGoneAreDraining(phase: DrainPhase) {
        let table = ProcessTable()
        let process = slot(0)
        phase.apply(to: process)
        table.insert(process)
        table.markDraining(process)
        let expected = phase == .stoppingLeaderExited ? [0] : []
        #expect(table.drainingProcesses().map(\.id) == expected)
    }

    /// Once the group is gone the slot moves on and is forgotten: coming back to the same
    /// phase later does not put it back without a new mark.
    @Test func aSlotThatMovedOnLeavesTheDrainingSet() {
        let (table, process) = ProcessTable.draining()
        _ = process.lifecycle.handle(.groupGone, at: .zero)
        #expect(table.drainingProcesses().isEmpty)
        DrainPhase.stoppingLeaderExited.apply(to: process)
        #expect(table.drainingProcesses().isEmpty)
    }

    /// The slot is put back still draining: only a mark that went with the slot keeps it out.
    @Test func removingASlotDropsItsDrainingMark() {
        let (table, process) = ProcessTable.draining()
        table.removeProcess(process)
        table.insert(process)
        #expect(table.drainingProcesses().isEmpty)
    }

    @Test func doneDrainingForgetsTheSlot() {
        let (table, process) = ProcessTable.draining()
        table.doneDraining(process)
        #expect(table.drainingProcesses().isEmpty)
    }
}
