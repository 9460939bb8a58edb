import CProcdLinux
import Glibc

/// TCP listening sockets (for `--port`), the sd_notify receiver, and socket pairs.
public enum Sockets {
    /// Binds and listens on `host:port` (every address when host is nil) with SO_REUSEADDR.
    public static func listenTCP(host: String?, port: Int, backlog: Int32 = 511, reusePort: Bool = false) throws(SystemError) -> OwnedFD {
        let label = "\(host ?? "*"):\(port)"
        let fd = try sys("bind", path: label) {
            withOptionalCString(host) { procd_tcp_listen($0, Int32(port), backlog, reusePort ? 1 : 0) }
        }
        return OwnedFD(adopting: fd)
    }

    /// The local port of a bound socket.
    public static func port(of fd: OwnedFD) -> Int? {
        let port = procd_socket_port(fd.raw)
        return port >= 0 ? Int(port) : nil
    }

    /// The address of a TCP socket's peer, as text.
    public static func peerAddress(of fd: OwnedFD) -> String? {
        var buffer = [CChar](repeating: 0, count: 64)
        guard procd_socket_peer(fd.raw, &buffer, buffer.count) == 0 else { return nil }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// A datagram socket bound to an abstract address, receiving sender credentials.
    public static func notifySocket(abstractName: String) throws(SystemError) -> OwnedFD {
        OwnedFD(adopting: try sys("bind", path: "@" + abstractName) { procd_notify_socket(abstractName) })
    }

    /// One datagram and its sender's pid; nil when none is pending.
    public static func receiveNotification(_ fd: OwnedFD) -> (text: String, pid: Int32)? {
        var buffer = [CChar](repeating: 0, count: 4097)
        var pid: pid_t = 0
        let n = buffer.withUnsafeMutableBufferPointer { procd_notify_receive(fd.raw, $0.baseAddress, Int32($0.count), &pid) }
        guard n >= 0 else { return nil }
        let bytes = buffer.prefix(Int(n)).map { UInt8(bitPattern: $0) }
        return (String(decoding: bytes, as: UTF8.self), pid)
    }

    /// A connected pair of stream sockets, both close-on-exec.
    /// Connected message sockets: each send arrives as one message, descriptors with it.
    public static func messagePair() throws(SystemError) -> (OwnedFD, OwnedFD) {
        var fds: [Int32] = [-1, -1]
        _ = try sys("socketpair") { procd_seqpacket_pair(&fds) }
        return (OwnedFD(adopting: fds[0]), OwnedFD(adopting: fds[1]))
    }

    /// One message of a message socket, and the descriptor that came with it. `.wouldBlock`
    /// only when `wait` is false; `.endOfFile` when the peer is gone.
    public static func receive(_ socket: OwnedFD, into buffer: UnsafeMutableRawBufferPointer, wait: Bool)
        throws(SystemError) -> (IOResult, OwnedFD?) {
        var fd: Int32 = -1
        let n = procd_receive_with_fd(socket.raw, buffer.baseAddress, buffer.count, &fd, wait ? 1 : 0)
        let passed = fd >= 0 ? OwnedFD(adopting: fd) : nil
        if n > 0 { return (.bytes(n), passed) }
        if n == 0 { return (.endOfFile, passed) }
        let code = errno
        if code == EAGAIN || code == EWOULDBLOCK { return (.wouldBlock, nil) }
        if code == ECONNRESET { return (.endOfFile, nil) }
        throw SystemError(call: "recvmsg", code: code)
    }

    public static func pair() throws(SystemError) -> (OwnedFD, OwnedFD) {
        var fds: [Int32] = [-1, -1]
        _ = try sys("socketpair") { procd_socketpair(&fds) }
        return (OwnedFD(adopting: fds[0]), OwnedFD(adopting: fds[1]))
    }
}

extension Sockets {
    /// Writes `bytes` on a stream socket with `fd` attached (SCM_RIGHTS), without
    /// blocking: how many bytes went (the descriptor travels with the first of them).
    public static func send(_ socket: OwnedFD, _ bytes: UnsafeRawBufferPointer, passing fd: OwnedFD) throws(SystemError) -> IOResult {
        let n = procd_send_with_fd(socket.raw, bytes.baseAddress, bytes.count, fd.raw)
        if n >= 0 { return .bytes(n) }
        if errno == EAGAIN || errno == EWOULDBLOCK { return .wouldBlock }
        throw SystemError(call: "sendmsg", code: errno)
    }

    /// Starts a non-blocking TCP connection; wait for writability, then check `pendingError`.
    public static func connectTCP(host: String, port: Int) throws(SystemError) -> OwnedFD {
        OwnedFD(adopting: try sys("connect", path: "\(host):\(port)") { procd_tcp_connect(host, Int32(port)) })
    }

    /// The socket's pending error (SO_ERROR) as a SystemError, or nil when all is well.
    public static func pendingError(_ fd: OwnedFD) -> SystemError? {
        let code = procd_socket_error(fd.raw)
        return code == 0 ? nil : SystemError(call: "connect", code: code)
    }
}
