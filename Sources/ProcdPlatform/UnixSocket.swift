import CProcdLinux
import Glibc

/// Unix-domain stream sockets: the control socket and its clients.
public enum UnixSocket {
    /// Peer identity from SO_PEERCRED.
    public struct Credentials: Equatable, Sendable {
        public var pid: Int32
        public var uid: UInt32
        public var gid: UInt32
    }

    /// Binds and listens (non-blocking, close-on-exec). The caller removes a stale file first.
    public static func listen(path: String, backlog: Int32 = 511) throws(SystemError) -> OwnedFD {
        OwnedFD(adopting: try sys("bind", path: path) { procd_unix_listen(path, backlog) })
    }

    /// Connects (blocking, close-on-exec).
    public static func connect(path: String) throws(SystemError) -> OwnedFD {
        OwnedFD(adopting: try sys("connect", path: path) { procd_unix_connect(path) })
    }

    /// Accepts one pending connection (non-blocking); nil when none is waiting.
    public static func accept(_ listener: OwnedFD) throws(SystemError) -> OwnedFD? {
        while true {
            let fd = FaultInjection.call(listener.raw, .accept) { procd_accept(listener.raw) }
            if fd >= 0 { return OwnedFD(adopting: fd) }
            let code = errno
            switch code {
            case EINTR: continue
            case EAGAIN, ECONNABORTED: return nil
            default: throw SystemError(call: "accept4", code: code)
            }
        }
    }

    public static func credentials(_ socket: OwnedFD) throws(SystemError) -> Credentials {
        var pid: pid_t = 0
        var uid: uid_t = 0
        var gid: gid_t = 0
        _ = try sys("getsockopt(SO_PEERCRED)") { procd_peer_credentials(socket.raw, &pid, &uid, &gid) }
        return Credentials(pid: pid, uid: uid, gid: gid)
    }

    /// The longest socket path the kernel accepts (sun_path less its terminator).
    public static let maxPathLength = 107

    /// Ends the sending side of a connection (the peer reads end-of-file); reading goes on.
    public static func finishSending(_ socket: OwnedFD) {
        _ = Glibc.shutdown(socket.raw, Int32(SHUT_WR))
    }
}
