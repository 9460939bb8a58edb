import CProcdLinux
import Glibc

/// Signals delivered as readable events (signalfd(2)), so no handler ever runs.
public final class SignalFD {
    public let fd: OwnedFD

    /// Blocks `signals` in the calling thread and opens a descriptor that reads them.
    /// Call before any other thread starts, so none of them receives these signals.
    public init(_ signals: [Int32]) throws(SystemError) {
        let raw = try signals.withUnsafeBufferPointer { buffer throws(SystemError) in
            try sys("signalfd") { procd_signalfd(buffer.baseAddress, Int32(buffer.count)) }
        }
        fd = OwnedFD(adopting: raw)
    }

    /// Pending signals, in arrival order, until none is left.
    public func drain() -> [Int32] {
        var out: [Int32] = []
        while true {
            let signal = procd_signalfd_read(fd.raw)
            if signal <= 0 { return out }
            out.append(signal)
        }
    }

    public static let child = SIGCHLD
    public static let terminate = SIGTERM
    public static let interrupt = SIGINT
    public static let hangup = SIGHUP
    public static let quit = SIGQUIT
    public static let user1 = SIGUSR1
    public static let user2 = SIGUSR2
    public static let windowChange = SIGWINCH

    /// Unblocks every signal and restores SIGPIPE's default (a fresh start for a CLI).
    public static func unblockAll() { procd_reset_signals() }

    /// Ignores SIGPIPE so a write to a closed socket or pipe fails with EPIPE instead.
    public static func ignoreBrokenPipe() { procd_ignore_sigpipe() }
}
