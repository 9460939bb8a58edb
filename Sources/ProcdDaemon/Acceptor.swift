import ProcdCore
import ProcdPlatform

/// A listening socket's accepts, paused while the daemon is out of descriptors.
///
/// A listener with connections waiting stays readable, so an accept that fails for want
/// of a descriptor (EMFILE, ENFILE) or of memory would wake the loop again at once, for
/// ever: a busy loop and a log line per failure. Instead the listener is unwatched and
/// tried again at a deadline (50 ms, doubling up to 2 s), or at once when the owner frees
/// a descriptor (`resume`). An episode is logged twice: when it begins, and when accepts
/// work again, with how many failed meanwhile. Nothing is scheduled outside an episode.
final class Acceptor {
    static let firstRetry: Duration = .milliseconds(50)
    static let lastRetry: Duration = .seconds(2)

    private let listener: OwnedFD
    private let loop: EventLoop
    /// Names the listener in log lines ("control socket", "http").
    private let name: String
    private let log: (String) -> Void
    private let take: (OwnedFD) -> Void
    private var token: UInt64?
    private var episode: Episode?
    /// Set by `close`: a handler running now (it may be what closed it) accepts no more.
    private var closed = false

    /// Accepts that fail since `since`; the next try at `retryAt`.
    private struct Episode {
        var since: Tick
        var failures: Int
        var delay: Duration
        var retryAt: Tick
    }

    /// Watches `listener` and hands each accepted connection to `take`.
    init(listener: OwnedFD, loop: EventLoop, name: String, log: @escaping (String) -> Void,
         take: @escaping (OwnedFD) -> Void) throws(SystemError) {
        self.listener = listener
        self.loop = loop
        self.name = name
        self.log = log
        self.take = take
        try watch()
    }

    /// Whether accepting is paused for want of descriptors.
    var isPaused: Bool { episode != nil }

    /// A descriptor was freed: a paused listener is tried again now.
    func resume() {
        guard episode != nil else { return }
        acceptAll()
    }

    /// Stops watching the listener (the owner closes it).
    func close() {
        if let token { loop.unwatch(listener.raw, token: token) }
        token = nil
        episode = nil
        closed = true
    }

    private func watch() throws(SystemError) {
        token = try loop.watch(listener.raw, .readable) { [weak self] _ in self?.acceptAll() }
    }

    private func acceptAll() {
        while !closed {
            let fd: OwnedFD?
            do {
                fd = try UnixSocket.accept(listener)
            } catch {
                failed(error)
                return
            }
            guard let fd else { break }
            take(fd)
        }
        guard !closed, let ended = episode else { return }
        episode = nil
        do {
            try watch()
        } catch {
            log("\(name): cannot watch the listener again: \(error)")
            return
        }
        let lasted = (Clock.now() - ended.since).milliseconds
        log("\(name): accepting connections again after \(ended.failures) failed accept(s) over \(lasted) ms")
    }

    /// Sets the listener aside until the next try; the loop sleeps meanwhile.
    private func failed(_ error: SystemError) {
        let now = Clock.now()
        if var current = episode {
            current.failures += 1
            current.delay = min(current.delay * 2, Self.lastRetry)
            current.retryAt = now + current.delay
            episode = current
        } else {
            if let token { loop.unwatch(listener.raw, token: token) }
            token = nil
            episode = Episode(since: now, failures: 1, delay: Self.firstRetry, retryAt: now + Self.firstRetry)
            log("\(name): accept failed: \(error); not accepting connections until descriptors are freed "
                + "(the limit on open files is \(Processes.descriptorLimit.soft)); retrying")
        }
        guard let at = episode?.retryAt else { return }
        loop.schedule(at: at, isCurrent: { [weak self] at in self?.episode?.retryAt == at }) { [weak self] _ in
            self?.acceptAll()
        }
    }
}
