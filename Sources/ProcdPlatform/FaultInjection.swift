import Glibc
import Synchronization

/// A seam for tests: errors that a descriptor's next reads, writes or accepts fail with
/// instead of reaching the kernel, so the paths for EINTR, EAGAIN, EMFILE and ENOSPC can
/// be driven on demand. Plans are keyed by descriptor: a test that holds its descriptors
/// open cannot touch another's. Until a plan exists the check is one relaxed load.
public enum FaultInjection {
    public enum Call: Hashable, Sendable { case read, write, accept }

    private struct Key: Hashable { var fd: Int32; var call: Call }

    private static let armed = Atomic<Bool>(false)
    private static let plans = Mutex<[Key: [Int32]]>([:])

    /// The next calls of `call` on `fd` fail with `errors`, one each, in order.
    public static func fail(_ fd: Int32, _ call: Call, with errors: [Int32]) {
        plans.withLock { $0[Key(fd: fd, call: call), default: []] += errors }
        armed.store(true, ordering: .releasing)
    }

    /// Forgets what is left of `fd`'s plans.
    public static func clear(_ fd: Int32) {
        let empty = plans.withLock { plans -> Bool in
            plans = plans.filter { $0.key.fd != fd }
            return plans.isEmpty
        }
        if empty { armed.store(false, ordering: .releasing) }
    }

    /// The error planned for this call, taken from the plan; nil when the call goes to
    /// the kernel.
    static func next(_ fd: Int32, _ call: Call) -> Int32? {
        guard armed.load(ordering: .acquiring) else { return nil }
        return plans.withLock { plans -> Int32? in
            let key = Key(fd: fd, call: call)
            guard var planned = plans[key], !planned.isEmpty else { return nil }
            let error = planned.removeFirst()
            plans[key] = planned.isEmpty ? nil : planned
            return error
        }
    }

    /// Runs `body` unless an error is planned: then sets errno to it and returns -1, as
    /// the call would have.
    @inline(__always)
    static func call<T: BinaryInteger>(_ fd: Int32, _ call: Call, _ body: () -> T) -> T {
        if let error = next(fd, call) {
            errno = error
            return -1
        }
        return body()
    }
}
