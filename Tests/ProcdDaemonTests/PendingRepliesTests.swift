import Testing

@testable import ProcdDaemon

func waiter(client: UInt64, request: Int) -> Waiter {
    Waiter(connection: client, requestID: request, ids: [], condition: .settled)
}

/// A reload that replaces one slot a step and is finished once none is left.
func reload(client: UInt64, request: Int, slots: [Int]) -> ReloadJob {
    ReloadJob(connection: client, requestID: request, pending: slots)
}

func stepOne(_ job: inout ReloadJob) -> Bool {
    job.done.append(job.pending.removeFirst())
    return job.pending.isEmpty
}

struct PendingRepliesTests {
    @Test(arguments: [[], [2, 4], [1, 5], [1, 2, 3, 4, 5]])
    func takeSettledTakesTheAcceptedInArrivalOrder(accepted: [Int]) {
        let pending = PendingReplies()
        for request in 1...5 { pending.hold(waiter(client: 1, request: request)) }
        let taken = pending.takeSettled { accepted.contains($0.requestID) }
        #expect(taken.map(\.requestID) == accepted)
        let rest = pending.takeSettled { _ in true }
        #expect(rest.map(\.requestID) == (1...5).filter { !accepted.contains($0) })
        #expect(pending.isEmpty)
    }

    @Test func owesAndForgetGoByClient() {
        let pending = PendingReplies()
        pending.hold(waiter(client: 1, request: 1))
        pending.hold(waiter(client: 1, request: 2))
        pending.hold(waiter(client: 2, request: 1))
        pending.startReload(reload(client: 3, request: 1, slots: [0]))
        #expect([1, 2, 3, 4].map(pending.owes) == [true, true, true, false])
        pending.forget(1)
        #expect([1, 2, 3].map(pending.owes) == [false, true, true])
        #expect(pending.takeSettled { _ in true }.map(\.connection) == [2])
    }

    /// A client that leaves does not stop the reload it asked for.
    @Test func forgetLeavesAReloadGoingOn() {
        let pending = PendingReplies()
        pending.startReload(reload(client: 3, request: 1, slots: [0]))
        pending.forget(3)
        #expect(pending.owes(3))
        #expect(pending.isReloading)
    }

    /// `left`: the slots the unfinished jobs still have after one step of each.
    @Test(arguments: [
        ([[0]], [[Int]]()),
        ([[0, 1], [2]], [[1]]),
        ([[0, 1, 2], [3, 4]], [[1, 2], [4]]),
    ])
    func advanceReloadsKeepsTheUnfinishedJobs(slots: [[Int]], left: [[Int]]) {
        let pending = PendingReplies()
        for (index, jobSlots) in slots.enumerated() {
            pending.startReload(reload(client: UInt64(index), request: index, slots: jobSlots))
        }
        pending.advanceReloads(stepOne)
        #expect(pending.isReloading == !left.isEmpty)
        var seen: [[Int]] = []
        pending.advanceReloads { job in
            seen.append(job.pending)
            return false
        }
        #expect(seen == left)
    }

    /// The step's changes to a job are kept for its next step.
    @Test func advanceReloadsKeepsWhatTheStepChanged() {
        let pending = PendingReplies()
        pending.startReload(reload(client: 1, request: 1, slots: [4, 5, 6]))
        pending.advanceReloads(stepOne)
        pending.advanceReloads(stepOne)
        var done: [Int] = []
        pending.advanceReloads { job in
            done = job.done
            return true
        }
        #expect(done == [4, 5])
        #expect(!pending.isReloading)
    }

    /// A reload started while the others move on (a step that answers one request may
    /// start another) is kept, after those already going.
    @Test func aReloadStartedDuringAdvanceIsKept() {
        let pending = PendingReplies()
        pending.startReload(reload(client: 1, request: 1, slots: [0, 1]))
        pending.advanceReloads { job in
            pending.startReload(reload(client: 2, request: 2, slots: [9]))
            return stepOne(&job)
        }
        var clients: [UInt64] = []
        pending.advanceReloads { job in
            clients.append(job.connection)
            return false
        }
        #expect(clients == [1, 2])
    }

    @Test func cancelReloadsEndsThemAll() {
        let pending = PendingReplies()
        pending.startReload(reload(client: 1, request: 1, slots: [0]))
        pending.startReload(reload(client: 2, request: 1, slots: [1]))
        pending.hold(waiter(client: 3, request: 1))
        #expect(pending.isReloading)
        pending.cancelReloads()
        #expect(!pending.isReloading)
        #expect([1, 2, 3].map(pending.owes) == [false, false, true])
    }
}
