import ProcdCore
import ProcdPlatform

/// The daemon's one loop: epoll for descriptors, signalfd for signals and one queue of
/// deadlines, each with the handler of the subsystem that registered it.
///
/// The loop knows nothing of apps, clients or logs: a subsystem asks to watch a descriptor
/// or to be woken at a tick, and is called back on the one thread. The only timeout of
/// `epoll_wait` is the nearest deadline that still matters, so an idle daemon never wakes.
final class EventLoop {
    typealias Handler = (Epoll.Events) -> Void

    /// A deadline and what to do at it. `isCurrent` is asked before the loop sleeps and
    /// again when the deadline is due: one that no longer matters (its process stopped,
    /// its client left) neither wakes the daemon nor fires.
    private struct Deadline {
        var isCurrent: (Tick) -> Bool
        var fire: (Tick) -> Void
    }

    private let epoll: Epoll
    private let signals: SignalFD
    private var handlers: [UInt64: Handler] = [:]
    private var deadlines = DeadlineQueue<Deadline>()
    private var lastToken: UInt64 = 16
    /// Where every handler reads into: one thread, so one buffer serves all.
    let scratch = UnsafeMutableRawBufferPointer.allocate(byteCount: 256 << 10, alignment: 16)

    /// A loop that takes no signals.
    convenience init() throws(SystemError) {
        try self.init(signals: [], onSignal: { _ in })
    }

    /// `signals` are blocked and delivered through signalfd: a signal is an event of the
    /// loop like any other, handed to `onSignal` on the one thread, in order.
    init(signals wanted: [Int32], onSignal: @escaping (Int32) -> Void) throws(SystemError) {
        epoll = try Epoll()
        signals = try SignalFD(wanted)
        try watch(signals.fd.raw, .readable) { [weak self] _ in
            guard let self else { return }
            for signal in self.signals.drain() { onSignal(signal) }
        }
    }

    /// A token no registration has had; tokens are never reused, so an event for a
    /// descriptor closed earlier in the same turn finds no handler.
    func makeToken() -> UInt64 {
        lastToken += 1
        return lastToken
    }

    /// Watches `fd` for `events`; `handler` runs for each readiness. Returns the token.
    @discardableResult
    func watch(_ fd: Int32, _ events: Epoll.Events, token: UInt64? = nil, _ handler: @escaping Handler) throws(SystemError) -> UInt64 {
        let token = token ?? makeToken()
        try epoll.add(fd, events: events, token: token)
        handlers[token] = handler
        return token
    }

    /// Changes which events of a watched descriptor are wanted.
    func change(_ fd: Int32, _ events: Epoll.Events, token: UInt64) {
        try? epoll.modify(fd, events: events, token: token)
    }

    /// Stops watching `fd` (call before closing it).
    func unwatch(_ fd: Int32, token: UInt64) {
        epoll.remove(fd)
        handlers[token] = nil
    }

    /// Runs `fire` at `at` (or in the first turn after it), unless `isCurrent` has said by
    /// then that the deadline no longer matters.
    func schedule(at: Tick, isCurrent: @escaping (Tick) -> Bool = { _ in true }, _ fire: @escaping (Tick) -> Void) {
        deadlines.insert(Deadline(isCurrent: isCurrent, fire: fire), at: at)
    }

    /// How a `read(_:upTo:_:)` ended.
    enum ReadEnd {
        /// Nothing more to read now.
        case drained
        /// The budget of reads was spent; the descriptor is still readable.
        case budgetSpent
        case endOfFile
        case failed(SystemError)
    }

    /// Reads what `fd` has, at most `limit` times into the scratch buffer, handing each
    /// chunk to `take`: a bounded number of reads a turn keeps one busy peer from starving
    /// the rest.
    func read(_ fd: OwnedFD, upTo limit: Int, _ take: (UnsafeRawBufferPointer) -> Void) -> ReadEnd {
        for _ in 0..<limit {
            do {
                switch try fd.read(into: scratch) {
                case .bytes(let n): take(UnsafeRawBufferPointer(rebasing: scratch[0..<n]))
                case .wouldBlock: return .drained
                case .endOfFile: return .endOfFile
                }
            } catch {
                return .failed(error)
            }
        }
        return .budgetSpent
    }

    /// Turns until `endTurn` returns an exit code: the events that are ready, then the
    /// deadlines that are due, then `endTurn`.
    func run(endTurn: () -> Int32?, failed: (SystemError) -> Void) -> Int32 {
        while true {
            if let code = turn(sleeping: true, endTurn: endTurn, failed: failed).exitCode { return code }
        }
    }

    /// One turn. Without `sleeping` the wait takes only what is ready now; `events` says
    /// how many were.
    func turn(sleeping: Bool, endTurn: () -> Int32?, failed: (SystemError) -> Void) -> (exitCode: Int32?, events: Int) {
        deadlines.dropStale { at, deadline in !deadline.isCurrent(at) }
        let timeout = sleeping ? deadlines.next.map { $0 - Clock.now() } : .zero
        let ready: [Epoll.Ready]
        do {
            ready = try epoll.wait(timeout: timeout)
        } catch {
            failed(error)
            return (1, 0)
        }
        for event in ready { handlers[event.token]?(event.events) }
        let now = Clock.now()
        for (at, deadline) in deadlines.popDueEntries(now) where deadline.isCurrent(at) { deadline.fire(now) }
        return (endTurn(), ready.count)
    }
}
