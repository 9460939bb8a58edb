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
    var isClosed = false

    /// Messages queued for an app that does not read are bounded.
    static let maxOutgoing = 4 << 20

    init(token: UInt64, processID: Int, fd: OwnedFD) {
        self.token = token
        self.processID = processID
        self.fd = fd
    }

    var wantsWrite: Bool { !outgoing.isEmpty }

    /// Queues a message for `process.on('message')`; false when the backlog is full.
    func send(_ message: JSON) -> Bool {
        let line = Array((message.serialized() + "\n").utf8)
        guard outgoing.count + line.count <= Self.maxOutgoing, !isClosed else { return false }
        outgoing += line
        flush()
        return true
    }

    func flush() {
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
            case .bytes(let n): outgoing.removeFirst(n)
            case .wouldBlock, .endOfFile: return
            }
        }
    }
}
