import ProcdCore
import ProcdPlatform
import ProcdWire

/// A client of the control socket: bytes in through a line framer, replies out through a
/// bounded buffer written as the socket accepts them.
final class ControlConnection {
    let token: UInt64
    let fd: OwnedFD
    var framer = LineFramer()
    private var outgoing = OutgoingBytes()
    /// Set when the client went away or misbehaved; the daemon drops it after this turn.
    var isClosed = false
    /// Close once everything queued has been written.
    var closeAfterFlush = false
    /// The client finished sending (shut down its side); replies still owed go out first.
    var inputClosed = false

    /// A client that stops reading is dropped rather than allowed to grow our memory.
    var limit = 64 << 20
    /// The last time bytes moved either way; a stalled client is dropped after a while.
    var lastProgress = Clock.now()
    var stallTimerArmed = false

    /// Half a request waiting for the rest, or a reply waiting for the client to read it.
    var isWaitingOnClient: Bool { framer.pendingCount > 0 || wantsWrite }

    init(token: UInt64, fd: OwnedFD) {
        self.token = token
        self.fd = fd
    }

    var wantsWrite: Bool { outgoing.pending > 0 }

    /// Replies wait to be released at the end of the turn.
    var holdsReplies: Bool { !held.isEmpty }

    /// Requests whose reply reports a change of the table, by id: their replies wait for
    /// the end of the turn, when the daemon knows whether `state.json` recorded it.
    private var changeRequests = Set<Int>()
    /// Replies of this turn held back (with those that came after them, to keep order).
    private var held: [Reply] = []

    /// The reply to request `id` is to say whether the change it made was saved.
    func expectsChange(_ id: Int) {
        changeRequests.insert(id)
    }

    /// Queues a reply; the daemon writes queued replies at the end of its turn, after
    /// `state.json` records what the reply reports.
    func send(_ reply: Reply) {
        if !held.isEmpty || changeRequests.contains(reply.finalID ?? -1) {
            held.append(reply)
            return
        }
        queue(reply.lineBytes)
    }

    /// Queues the replies held this turn; with `unsaved`, one that reports a change as done
    /// says instead that it was not saved.
    func release(unsaved: WireError?) {
        guard !held.isEmpty else { return }
        let replies = held
        held = []
        for reply in replies {
            guard let id = reply.finalID, changeRequests.remove(id) != nil, let unsaved, case .success = reply else {
                queue(reply.lineBytes)
                continue
            }
            queue(Reply.failure(id: id, unsaved).lineBytes)
        }
    }

    func queue(_ bytes: [UInt8]) {
        guard !isClosed else { return }
        if outgoing.pending + bytes.count > limit {
            isClosed = true
            return
        }
        outgoing.append(bytes)
    }

    /// Writes what the socket takes now; the rest waits for EPOLLOUT.
    func flush() {
        switch outgoing.write(to: fd, moved: { lastProgress = Clock.now() }) {
        case .drained: if closeAfterFlush { isClosed = true }
        case .blocked: return
        case .failed: isClosed = true
        }
    }

    /// After the client's end of input: close now, or once owed replies are written.
    func finishAfterInput(owesReplies: Bool) {
        inputClosed = true
        if owesReplies { return }
        closeAfterFlush = true
        flush()
    }
}

extension Reply {
    /// The id of a reply that ends its request (not a stream's event).
    var finalID: Int? {
        switch self {
        case .success(let id, _), .failure(let id, _): id
        case .event: nil
        }
    }
}
