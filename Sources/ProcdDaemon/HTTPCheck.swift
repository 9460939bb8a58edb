import ProcdCore
import ProcdPlatform

/// One plain-HTTP GET in flight, for a health check (`health_url`) or a probe
/// (`http_get`): a non-blocking connect, the request once the socket is writable, and the
/// status line of the answer, all on the loop.
///
/// The caller owns the timeout: a check that outlives it is ended with `cancel`. `done`
/// is called at most once, after the socket is closed, and never after `cancel`.
final class HTTPCheck {
    /// How a check ended.
    enum Outcome: Equatable {
        /// The status code of the answer's first line.
        case status(Int)
        /// The connection failed, with the reason (strerror's text).
        case cannotConnect(String)
        case cannotSend
        /// The first 8 KiB held no HTTP status line.
        case noStatusLine
        case closedWithoutStatus
    }

    private let loop: EventLoop
    private let fd: OwnedFD
    private let token: UInt64
    private let request: [UInt8]
    private var sent = false
    private var response: [UInt8] = []
    private var done: ((Outcome) -> Void)?

    /// Starts connecting to `host` (an address, so that no lookup blocks the loop) and
    /// `port`; `request` is the whole request, headers and blank line included.
    /// - Throws: the connect's failure when it fails at once.
    init(loop: EventLoop, host: String, port: Int, request: String, done: @escaping (Outcome) -> Void) throws(SystemError) {
        let fd = try Sockets.connectTCP(host: host, port: port)
        self.loop = loop
        self.fd = fd
        self.request = Array(request.utf8)
        self.done = done
        token = loop.makeToken()
        do {
            try loop.watch(fd.raw, [.writable, .readable, .peerClosed], token: token) { [weak self] events in self?.service(events) }
        } catch {
            fd.close()
            throw error
        }
    }

    /// Ends the check without an outcome; harmless once it has ended.
    func cancel() {
        done = nil
        guard fd.isOpen else { return }
        loop.unwatch(fd.raw, token: token)
        fd.close()
    }

    private func finish(_ outcome: Outcome) {
        let done = self.done
        cancel()
        done?(outcome)
    }

    private func service(_ events: Epoll.Events) {
        if !sent {
            if let error = Sockets.pendingError(fd) { return finish(.cannotConnect(error.reason)) }
            guard events.contains(.writable) else { return }
            let written = try? request.withBytes { bytes throws(SystemError) in try fd.write(bytes) }
            guard case .bytes(let n)? = written, n == request.count else { return finish(.cannotSend) }
            sent = true
            loop.change(fd.raw, [.readable, .peerClosed], token: token)
            return
        }
        while fd.isOpen {
            switch try? fd.read(into: loop.scratch) {
            case .bytes(let n)?:
                response += loop.scratch[0..<min(n, 4096)]
                if let status = HealthURL.status(in: response) { return finish(status < 0 ? .noStatusLine : .status(status)) }
                if response.count > 8192 { return finish(.noStatusLine) }
            case .wouldBlock?:
                return
            case .endOfFile?, nil:
                return finish(.closedWithoutStatus)
            }
        }
    }
}
