import Testing

@testable import ProcdCore

@Suite struct DeadlineQueueTests {
    @Test func anEmptyQueueHasNothingDue() {
        var queue = DeadlineQueue<Int>()
        #expect(queue.isEmpty)
        #expect(queue.count == 0)
        #expect(queue.next == nil)
        #expect(queue.popDue(tick(1_000_000)) == [])
    }

    @Test func popsWhatIsDueEarliestFirst() {
        var queue = DeadlineQueue<String>()
        for (name, at) in [("e", 5), ("a", 1), ("c", 3), ("b", 2), ("d", 4)] as [(String, Int64)] {
            queue.insert(name, at: tick(at))
        }
        #expect(queue.count == 5)
        #expect(queue.next == tick(1))
        #expect(queue.popDue(.zero) == [], "nothing is due before its deadline")
        #expect(queue.popDue(tick(3)) == ["a", "b", "c"], "a deadline equal to now is due")
        #expect(queue.count == 2)
        #expect(queue.next == tick(4))
        #expect(queue.popDue(tick(100)) == ["d", "e"])
        #expect(queue.isEmpty)
        #expect(queue.next == nil)
    }

    @Test func equalDeadlinesAreAllPopped() {
        var queue = DeadlineQueue<Int>()
        for value in 0..<5 { queue.insert(value, at: tick(7)) }
        queue.insert(99, at: tick(8))
        #expect(queue.popDue(tick(7)).sorted() == [0, 1, 2, 3, 4])
        #expect(queue.popDue(tick(8)) == [99])
    }

    @Test func manyDeadlinesComeOutInOrderExactlyOnce() {
        var queue = DeadlineQueue<Int>()
        var seed: UInt64 = 42
        var deadlines: [Int: Int64] = [:]
        for value in 0..<500 {
            seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407   // a fixed LCG: repeatable
            let at = Int64(seed >> 40) % 10_000
            deadlines[value] = at
            queue.insert(value, at: tick(at))
        }
        var popped: [Int] = []
        var now: Int64 = 0
        while !queue.isEmpty {
            now += 137
            let due = queue.popDue(tick(now))
            #expect(due.allSatisfy { (deadlines[$0] ?? .max) <= now })
            if let next = queue.next { #expect(next > tick(now)) }
            popped += due
        }
        #expect(popped.count == 500)
        #expect(Set(popped) == Set(0..<500))
        let order = popped.map { deadlines[$0] ?? -1 }
        #expect(order == order.sorted())
    }

    @Test func insertingAfterPoppingKeepsTheOrder() {
        var queue = DeadlineQueue<Int>()
        queue.insert(1, at: tick(10))
        queue.insert(2, at: tick(20))
        #expect(queue.popDue(tick(10)) == [1])
        queue.insert(3, at: tick(15))
        queue.insert(4, at: tick(5))
        #expect(queue.next == tick(5))
        #expect(queue.popDue(tick(30)) == [4, 3, 2])
    }
}
