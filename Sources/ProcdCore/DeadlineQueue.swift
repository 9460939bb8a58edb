/// A min-heap of deadlines, each carrying a value; stale entries are the caller's to ignore.
public struct DeadlineQueue<Value> {
    private var heap: [(at: Tick, value: Value)] = []

    public init() {}

    public var isEmpty: Bool { heap.isEmpty }
    public var count: Int { heap.count }
    public var next: Tick? { heap.first?.at }

    /// Drops entries from the front while `isStale` says so, so a deadline nobody needs any
    /// more never wakes the caller.
    public mutating func dropStale(_ isStale: (Tick, Value) -> Bool) {
        while let first = heap.first, isStale(first.at, first.value) { _ = popFirst() }
    }

    private mutating func popFirst() -> Value? {
        guard !heap.isEmpty else { return nil }
        let first = heap[0].value
        let last = heap.removeLast()
        if heap.isEmpty { return first }
        heap[0] = last
        var parent = 0
        while true {
            let left = 2 * parent + 1
            let right = left + 1
            var smallest = parent
            if left < heap.count, heap[left].at < heap[smallest].at { smallest = left }
            if right < heap.count, heap[right].at < heap[smallest].at { smallest = right }
            if smallest == parent { break }
            heap.swapAt(parent, smallest)
            parent = smallest
        }
        return first
    }

    public mutating func insert(_ value: Value, at tick: Tick) {
        heap.append((tick, value))
        var child = heap.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            if heap[parent].at <= heap[child].at { break }
            heap.swapAt(parent, child)
            child = parent
        }
    }

    /// Removes and returns every entry due at or before `now`, earliest first.
    public mutating func popDue(_ now: Tick) -> [Value] {
        popDueEntries(now).map(\.value)
    }

    /// `popDue`, each value with its deadline.
    public mutating func popDueEntries(_ now: Tick) -> [(at: Tick, value: Value)] {
        var due: [(at: Tick, value: Value)] = []
        while let first = heap.first, first.at <= now, let value = popFirst() { due.append((first.at, value)) }
        return due
    }
}

extension DeadlineQueue: Sendable where Value: Sendable {}
