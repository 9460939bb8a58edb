import ProcdCore
import ProcdPlatform
import ProcdWire

/// A client of the daemon inside the daemon: one request sent over a socket pair whose
/// other end the daemon serves like any `procctl`, and its replies handed back.
///
/// The web dashboard asks through these, so it can do exactly what the control socket
/// allows and nothing more, and never reaches into the daemon's tables.
final class WireRelay {
    let token: UInt64
    private let fd: OwnedFD
    private var framer = LineFramer(limit: 64 << 20)
    private var outgoing = OutgoingBytes()
    private let onReply: (Reply) -> Void
    private(set) var isClosed = false
    /// A final reply (success or failure) has come.
    private var answered = false
    /// Called once as the relay closes (its descriptor still open), for whoever keeps it.
    var onClose: (WireRelay) -> Void = { _ in }

    init(token: UInt64, fd: OwnedFD, request: Request, onReply: @escaping (Reply) -> Void) {
        self.token = token
        self.fd = fd
        self.onReply = onReply
        outgoing.append(Array((request.json.serialized() + "\n").utf8))
    }

    var raw: Int32 { fd.raw }
    var wantsWrite: Bool { outgoing.pending > 0 }

    /// Reads what the daemon answered, writes what is still to be sent.
    func service(_ events: Epoll.Events, buffer: UnsafeMutableRawBufferPointer) {
        if wantsWrite, outgoing.write(to: fd) == .failed { close() }
        for _ in 0..<16 where !isClosed {
            switch try? fd.read(into: buffer) {
            case .bytes(let n)?:
                for item in framer.append(UnsafeRawBufferPointer(rebasing: buffer[0..<n])) {
                    guard !isClosed else { return }
                    guard case .line(let line) = item, let reply = Reply.decode(line) else { continue }
                    if case .event = reply {} else { answered = true }
                    onReply(reply)
                }
            case .wouldBlock?:
                return
            case .endOfFile?, nil:
                // Whoever waits for an answer gets one, even from a daemon on its way out.
                if !answered {
                    answered = true
                    onReply(.failure(id: nil, WireError(.internalError, "procd ended the request without an answer")))
                }
                close()
            }
        }
    }

    func close() {
        guard !isClosed else { return }
        isClosed = true
        onClose(self)
        fd.close()
    }
}
