import ProcdPlatform

/// Bytes queued for a non-blocking socket, and how far writing them got.
struct OutgoingBytes {
    private var bytes: [UInt8] = []
    private var sent = 0

    enum Progress { case drained, blocked, failed }

    /// Bytes queued and not yet written.
    var pending: Int { bytes.count - sent }

    mutating func append(_ more: [UInt8]) { bytes += more }

    /// Writes what `fd` takes now; `moved` is called whenever some bytes went out.
    mutating func write(to fd: OwnedFD, moved: () -> Void = {}) -> Progress {
        while sent < bytes.count {
            let result: IOResult
            do {
                result = try bytes.withUnsafeBytes { (all: UnsafeRawBufferPointer) throws(SystemError) in
                    try fd.write(UnsafeRawBufferPointer(rebasing: all[sent...]))
                }
            } catch {
                return .failed
            }
            switch result {
            case .bytes(let n):
                sent += n
                moved()
            case .wouldBlock, .endOfFile: return .blocked
            }
        }
        // A big buffer is given back; a small one is kept for the next reply.
        bytes.removeAll(keepingCapacity: bytes.count < 65_536)
        sent = 0
        return .drained
    }
}
