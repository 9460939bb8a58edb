import ProcdCore
import ProcdPlatform
import ProcdWire

/// The daemon's end of a Node app's IPC channel (NODE_CHANNEL_FD, JSON serialization):
/// newline-delimited JSON both ways, as Node's child_process.fork uses it.
final class IPCChannel {
    let token: UInt64
    let processID: Int
    let fd: OwnedFD
    var framer = LineFramer()
    private var outgoing: [UInt8] = []
    /// Messages that carry a descriptor wait here, each sent whole by one sendmsg(2), after
    /// every plain byte queued before them.
    private var withDescriptors: [(bytes: [UInt8], fd: OwnedFD, after: Int)] = []
    var isClosed = false

    /// Messages queued for an app that does not read are bounded.
    static let maxOutgoing = 4 << 20

    init(token: UInt64, processID: Int, fd: OwnedFD) {
        self.token = token
        self.processID = processID
        self.fd = fd
    }

    var wantsWrite: Bool { !outgoing.isEmpty || !withDescriptors.isEmpty }

    /// Readable always; writable too while something waits to go out.
    func updateInterest(in loop: EventLoop) {
        guard !isClosed else { return }
        loop.change(fd.raw, wantsWrite ? [.readable, .peerClosed, .writable] : [.readable, .peerClosed], token: token)
    }

    /// Queues a message for `process.on('message')`; false when the backlog is full.
    func send(_ message: JSON) -> Bool {
        let line = Array((message.serialized() + "\n").utf8)
        guard outgoing.count + line.count <= Self.maxOutgoing, !isClosed else { return false }
        outgoing += line
        flush()
        return true
    }

    /// Queues a message with a descriptor attached: Node's handle passing (a
    /// `NODE_HANDLE` message). The receiver gets its own copy; `fd` stays the caller's.
    func send(_ message: JSON, passing fd: OwnedFD) -> Bool {
        let line = Array((message.serialized() + "\n").utf8)
        guard outgoing.count + line.count <= Self.maxOutgoing, withDescriptors.count < 64, !isClosed else { return false }
        withDescriptors.append((line, fd, outgoing.count))
        flush()
        return true
    }

    func flush() {
        while let first = withDescriptors.first, first.after == 0 {
            let result: IOResult
            do {
                result = try first.bytes.withBytes { bytes throws(SystemError) in try Sockets.send(fd, bytes, passing: first.fd) }
            } catch {
                isClosed = true
                return
            }
            guard case .bytes(let n) = result else { return }
            withDescriptors.removeFirst()
            // The descriptor went with the first byte; the rest of the line follows as plain bytes.
            if n < first.bytes.count {
                outgoing.insert(contentsOf: first.bytes[n...], at: 0)
                for i in withDescriptors.indices { withDescriptors[i].after += first.bytes.count - n }
            }
        }
        while !outgoing.isEmpty {
            let result: IOResult
            do {
                result = try outgoing.withBytes { bytes throws(SystemError) in try fd.write(bytes) }
            } catch {
                isClosed = true
                outgoing.removeAll()
                return
            }
            switch result {
            case .bytes(let n):
                outgoing.removeFirst(n)
                for i in withDescriptors.indices { withDescriptors[i].after = max(0, withDescriptors[i].after - n) }
                if withDescriptors.first?.after == 0 { return flush() }
            case .wouldBlock, .endOfFile: return
            }
        }
    }
}
