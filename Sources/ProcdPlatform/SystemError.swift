import Glibc

/// A failed system call: the call's name, errno, and the path it was about, if any.
public struct SystemError: Error, Equatable, Sendable, CustomStringConvertible {
    public var call: String
    public var code: Int32
    public var path: String?

    public init(call: String, code: Int32, path: String? = nil) {
        self.call = call
        self.code = code
        self.path = path
    }

    /// strerror(3)'s text for the code.
    public var reason: String { String(cString: strerror(code)) }

    public var description: String {
        path.map { "\(call) \($0): \(reason)" } ?? "\(call): \(reason)"
    }
}

/// Runs a call that returns -1 and sets errno on failure, retrying on EINTR.
///
/// EBADF and EFAULT mean we misused a descriptor or pointer: those are bugs and trap.
@inline(__always)
public func sys<T: FixedWidthInteger>(
    _ call: String, path: String? = nil, _ body: () -> T
) throws(SystemError) -> T {
    while true {
        let result = body()
        if result != -1 { return result }
        let code = errno                    // read errno before anything can clobber it
        precondition(code != EBADF && code != EFAULT, "\(call): misuse of a descriptor is a bug")
        if code != EINTR { throw SystemError(call: call, code: code, path: path) }
    }
}

/// Errno values callers match on, re-exported so no module above needs Glibc.
public enum Errno {
    public static let noEntry = ENOENT
    public static let exists = EEXIST
    public static let connectionRefused = ECONNREFUSED
    public static let wouldBlock = EAGAIN
    public static let noChild = ECHILD
    public static let noSpace = ENOSPC
    public static let accessDenied = EACCES
    public static let permissionDenied = EPERM
    public static let addressInUse = EADDRINUSE
    public static let notDirectory = ENOTDIR
    public static let isDirectory = EISDIR
    public static let brokenPipe = EPIPE
    public static let tooManyFiles = EMFILE
}
