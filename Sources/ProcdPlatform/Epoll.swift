import CProcdLinux
import Glibc

/// An epoll(7) instance. Each registration carries a 64-bit token chosen by the caller.
public final class Epoll {
    public struct Events: OptionSet, Sendable {
        public let rawValue: UInt32
        public init(rawValue: UInt32) { self.rawValue = rawValue }
        public static let readable = Events(rawValue: PROCD_EPOLLIN)
        public static let writable = Events(rawValue: PROCD_EPOLLOUT)
        public static let hangup = Events(rawValue: PROCD_EPOLLHUP)
        public static let error = Events(rawValue: PROCD_EPOLLERR)
        public static let peerClosed = Events(rawValue: PROCD_EPOLLRDHUP)
    }

    public struct Ready: Sendable {
        public var token: UInt64
        public var events: Events
    }

    private let fd: OwnedFD
    private var tokens = [UInt64](repeating: 0, count: 256)
    private var masks = [UInt32](repeating: 0, count: 256)

    public init() throws(SystemError) {
        fd = OwnedFD(adopting: try sys("epoll_create1") { procd_epoll_create() })
    }

    public func add(_ target: Int32, events: Events, token: UInt64) throws(SystemError) {
        _ = try sys("epoll_ctl(ADD)") { procd_epoll_add(fd.raw, target, events.rawValue, token) }
    }

    public func modify(_ target: Int32, events: Events, token: UInt64) throws(SystemError) {
        _ = try sys("epoll_ctl(MOD)") { procd_epoll_modify(fd.raw, target, events.rawValue, token) }
    }

    /// Closes the instance (in a forked child that has no use for its parent's).
    public func close() { fd.close() }

    /// Removes a registration; a descriptor that is already closed drops out by itself.
    public func remove(_ target: Int32) {
        _ = procd_epoll_remove(fd.raw, target)
    }

    /// Waits for events; `timeout` nil waits forever (no wake-up without an event).
    public func wait(timeout: Duration?) throws(SystemError) -> [Ready] {
        let ms: Int32
        if let timeout {
            // Round up so a deadline is never woken for just before it passes.
            let nanos = max(timeout.nanoseconds, 0)
            ms = Int32(clamping: (nanos + 999_999) / 1_000_000)
        } else {
            ms = -1
        }
        let count = tokens.count
        let n = try tokens.withUnsafeMutableBufferPointer { tokenBuffer throws(SystemError) in
            try masks.withUnsafeMutableBufferPointer { maskBuffer throws(SystemError) in
                try sys("epoll_wait") {
                    procd_epoll_wait(fd.raw, tokenBuffer.baseAddress, maskBuffer.baseAddress, Int32(count), ms)
                }
            }
        }
        return (0..<Int(n)).map { Ready(token: tokens[$0], events: Events(rawValue: masks[$0])) }
    }
}
