import CProcdLinux
import Glibc

/// A pipe(2) whose ends are close-on-exec; the read end optionally non-blocking.
public struct Pipe {
    public let readEnd: OwnedFD
    public let writeEnd: OwnedFD

    public init(nonBlockingRead: Bool = false) throws(SystemError) {
        var fds: [Int32] = [-1, -1]
        _ = try sys("pipe2") { procd_pipe(&fds, 0) }
        readEnd = OwnedFD(adopting: fds[0])
        writeEnd = OwnedFD(adopting: fds[1])
        if nonBlockingRead { try readEnd.setNonBlocking() }
    }

    /// Asks for a larger pipe buffer (fewer wake-ups for chatty apps); best effort.
    public func grow(to bytes: Int32) { _ = procd_set_pipe_size(readEnd.raw, bytes) }
}
