import ProcdCore
import ProcdPlatform
import ProcdWire

/// `procctl bridge`: the remote side of `procctl --host`. It connects its standard input
/// and output to this machine's daemon socket (starting the daemon if needed) and copies
/// bytes both ways, newline-delimited JSON as the socket speaks it, until either side ends.
extension DaemonClient {
    public func bridge() throws -> Int32 {
        let epoll = try Epoll()
        // This process's standard input and output, for its whole (short) life.
        let input = OwnedFD(adopting: Environment.standardInput)
        let output = OwnedFD(adopting: Environment.standardOutput)
        if (try? epoll.add(input.raw, events: .readable, token: 0)) == nil { UnixSocket.finishSending(socket) }
        try epoll.add(socket.raw, events: .readable, token: 1)
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 65_536, alignment: 16)
        defer { buffer.deallocate() }
        while true {
            for event in try epoll.wait(timeout: nil) {
                let from = event.token == 0 ? input : socket
                let to = event.token == 0 ? socket : output
                switch try from.read(into: buffer) {
                case .bytes(let n):
                    do {
                        try to.writeAll(UnsafeRawBufferPointer(rebasing: buffer[0..<n]))
                    } catch {
                        return 0          // the reader went away: nothing left to carry
                    }
                case .wouldBlock:
                    continue
                case .endOfFile:
                    if event.token == 1 { return 0 }
                    // The client has sent everything; its replies may still be coming.
                    epoll.remove(input.raw)
                    UnixSocket.finishSending(socket)
                }
            }
        }
    }
}
