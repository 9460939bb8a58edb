import ProcdCore
import ProcdPlatform
import Testing

@testable import ProcdDaemon

/// Turns `loop` until `done` holds; false if it gave up. The give-up deadline is there so
/// that a broken loop fails its test instead of hanging the whole run.
func turn(_ loop: EventLoop, until done: () -> Bool) -> Bool {
    var gaveUp = false
    loop.schedule(at: Clock.now() + .seconds(10)) { _ in gaveUp = true }
    let code = loop.run(endTurn: { done() ? 0 : gaveUp ? 1 : nil }, failed: { Issue.record("the loop failed: \($0)") })
    return code == 0
}

struct EventLoopTests {
    /// Scheduled out of order on purpose: the queue decides, not the order of the calls.
    @Test(arguments: [[0, 1, 2, 3], [3, 2, 1, 0], [2, 0, 3, 1]])
    func deadlinesFireInDeadlineOrder(offsets: [Int]) throws {
        let loop = try EventLoop()
        let base = Clock.now()
        var fired: [Int] = []
        for offset in offsets {
            let at = base + .milliseconds(offset)
            loop.schedule(at: at) { now in
                #expect(now >= at, "fired before its deadline")
                fired.append(offset)
            }
        }
        #expect(turn(loop) { fired.count == offsets.count })
        #expect(fired == offsets.sorted())
    }

    /// The stale deadlines are due first, so they are at the front of the queue when the
    /// loop asks before it sleeps.
    @Test(arguments: [1, 3])
    func aDeadlineNoLongerCurrentIsDroppedUnfired(stale: Int) throws {
        let loop = try EventLoop()
        let base = Clock.now()
        var asked = 0
        var staleFired = 0
        var liveFired = false
        for _ in 0..<stale {
            loop.schedule(at: base, isCurrent: { _ in asked += 1; return false }) { _ in staleFired += 1 }
        }
        loop.schedule(at: base + .milliseconds(1)) { _ in liveFired = true }
        #expect(turn(loop) { liveFired })
        #expect(staleFired == 0)
        #expect(asked == stale)
    }

    /// Behind a current deadline the stale one is not looked at before the loop sleeps;
    /// it is asked again when it falls due with the other, and does not fire.
    @Test func aStaleDeadlineDueInTheSameTurnAsACurrentOneDoesNotFire() throws {
        let loop = try EventLoop()
        let at = Clock.now() + .milliseconds(1)
        var current = true
        var staleFired = false
        var liveFired = false
        loop.schedule(at: at) { _ in liveFired = true }
        loop.schedule(at: at, isCurrent: { _ in current }) { _ in staleFired = true }
        current = false
        #expect(turn(loop) { liveFired })
        #expect(!staleFired)
    }

    /// Each turn that does not end schedules the wake-up of the next, or the loop would
    /// sleep with nothing to wake it.
    @Test(arguments: [(1, 0), (3, 7), (5, -1)] as [(Int, Int32)])
    func runReturnsTheCodeEndTurnReturns(turns: Int, code: Int32) throws {
        let loop = try EventLoop()
        var ends = 0
        loop.schedule(at: Clock.now()) { _ in }
        let result = loop.run(endTurn: {
            ends += 1
            guard ends < turns else { return code }
            loop.schedule(at: Clock.now()) { _ in }
            return nil
        }, failed: { Issue.record("the loop failed: \($0)") })
        #expect(result == code)
        #expect(ends == turns)
    }

    /// Readable before the first turn, or only once the loop is already waiting.
    @Test(arguments: [false, true])
    func aWatchedPipeRunsItsHandlerWhenReadable(writeWhileWaiting: Bool) throws {
        let loop = try EventLoop()
        let pipe = try Pipe(nonBlockingRead: true)
        var events: Epoll.Events = []
        var read: [UInt8] = []
        try loop.watch(pipe.readEnd.raw, .readable) { [unowned loop] ready in
            events = ready
            if case .bytes(let n)? = try? pipe.readEnd.read(into: loop.scratch) { read += loop.scratch.prefix(n) }
        }
        if writeWhileWaiting {
            loop.schedule(at: Clock.now() + .milliseconds(1)) { _ in try? pipe.writeEnd.writeAll("ping") }
        } else {
            try pipe.writeEnd.writeAll("ping")
        }
        #expect(turn(loop) { !read.isEmpty })
        #expect(String(decoding: read, as: UTF8.self) == "ping")
        #expect(events.contains(.readable))
    }

    /// A turn that does not sleep returns at once, even with a deadline far off, and says
    /// how many events it handled; its `endTurn` runs either way.
    @Test func aTurnWithoutSleepTakesOnlyWhatIsReady() throws {
        let loop = try EventLoop()
        let pipe = try Pipe(nonBlockingRead: true)
        var handled = 0
        var ends = 0
        try loop.watch(pipe.readEnd.raw, .readable) { [unowned loop] _ in
            handled += 1
            _ = try? pipe.readEnd.read(into: loop.scratch)
        }
        loop.schedule(at: Clock.now() + .seconds(60)) { _ in Issue.record("a deadline a minute off fired") }
        let started = Clock.now()
        let idle = loop.turn(sleeping: false, endTurn: { ends += 1; return nil }, failed: { Issue.record("\($0)") })
        #expect(idle.events == 0 && idle.exitCode == nil)
        try pipe.writeEnd.writeAll("x")
        let busy = loop.turn(sleeping: false, endTurn: { ends += 1; return 7 }, failed: { Issue.record("\($0)") })
        #expect(busy.events == 1 && busy.exitCode == 7)
        #expect(handled == 1 && ends == 2)
        #expect(Clock.now() - started < .seconds(5))
    }

    /// Both pipes are readable before the turn, so one epoll_wait reports both: once the
    /// witness has run, the other would have run too had it still been watched.
    @Test(arguments: [false, true])
    func unwatchStopsTheHandler(unwatch: Bool) throws {
        let loop = try EventLoop()
        let watched = try Pipe(nonBlockingRead: true)
        let witness = try Pipe(nonBlockingRead: true)
        var watchedRan = false
        var witnessRan = false
        let token = try loop.watch(watched.readEnd.raw, .readable) { _ in watchedRan = true }
        try loop.watch(witness.readEnd.raw, .readable) { _ in witnessRan = true }
        if unwatch { loop.unwatch(watched.readEnd.raw, token: token) }
        try watched.writeEnd.writeAll("x")
        try witness.writeEnd.writeAll("x")
        #expect(turn(loop) { witnessRan })
        #expect(watchedRan == !unwatch)
    }

    /// Each handler unwatches the other: whichever epoll lists first, the other's event,
    /// already in the same turn's list, must find no handler.
    @Test func anEventUnwatchedEarlierInTheTurnFindsNoHandler() throws {
        let loop = try EventLoop()
        let pipes = [try Pipe(nonBlockingRead: true), try Pipe(nonBlockingRead: true)]
        var tokens: [UInt64] = [0, 0]
        var ran = 0
        for (index, pipe) in pipes.enumerated() {
            tokens[index] = try loop.watch(pipe.readEnd.raw, .readable) { [unowned loop] _ in
                ran += 1
                loop.unwatch(pipes[1 - index].readEnd.raw, token: tokens[1 - index])
            }
            try pipe.writeEnd.writeAll("x")
        }
        #expect(turn(loop) { ran > 0 })
        #expect(ran == 1)
    }

    /// What a handler watches lives as long as the watch: a handler that drops the last
    /// outside reference to it (a process removed, its channel closed) and unwatches it can
    /// still use it to the end of its run. An `unowned` capture aborted here.
    @Test func aHandlerMayDropTheLastReferenceToWhatItWatches() throws {
        final class Watched {
            let pipe: Pipe
            var reads = 0
            init(_ pipe: Pipe) { self.pipe = pipe }
        }
        let loop = try EventLoop()
        var owner: Watched? = Watched(try Pipe(nonBlockingRead: true))
        var token: UInt64 = 0
        var readsInHandler = 0
        do {
            let watched = try #require(owner)
            let fd = watched.pipe.readEnd.raw
            token = try loop.watch(fd, .readable) { [weak loop, watched] _ in
                owner = nil
                loop?.unwatch(fd, token: token)
                watched.reads += 1
                readsInHandler = watched.reads
            }
            try watched.pipe.writeEnd.writeAll("x")
        }
        #expect(turn(loop) { readsInHandler > 0 })
        #expect(owner == nil && readsInHandler == 1)
    }

    @Test func tokensAreNeverReused() throws {
        let loop = try EventLoop()
        let pipe = try Pipe(nonBlockingRead: true)
        var tokens: [UInt64] = []
        for _ in 0..<3 {
            tokens.append(loop.makeToken())
            let token = try loop.watch(pipe.readEnd.raw, .readable) { _ in }
            loop.unwatch(pipe.readEnd.raw, token: token)
            tokens.append(token)
        }
        #expect(Set(tokens).count == tokens.count)
    }
}
