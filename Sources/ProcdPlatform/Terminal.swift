import CProcdLinux
import Glibc

/// A terminal in raw mode for the full-screen monitor; `restore()` puts it back as it was.
public final class Terminal {
    public let fd: Int32
    private var saved: [UInt8]
    private var isRaw = false

    public init(fd: Int32 = 0) {
        self.fd = fd
        saved = [UInt8](repeating: 0, count: Int(procd_termios_size()))
    }

    public static func size(_ fd: Int32) -> (rows: Int, columns: Int)? {
        var rows: Int32 = 0
        var cols: Int32 = 0
        guard procd_terminal_size(fd, &rows, &cols) == 0, rows > 0, cols > 0 else { return nil }
        return (Int(rows), Int(cols))
    }

    public func enterRaw() throws(SystemError) {
        let fd = fd
        let code = saved.withUnsafeMutableBytes { bytes -> Int32 in
            procd_terminal_raw(fd, bytes.baseAddress) == 0 ? 0 : errno
        }
        if code != 0 { throw SystemError(call: "tcsetattr", code: code) }
        isRaw = true
    }

    /// Restores the saved settings; safe to call more than once.
    public func restore() {
        guard isRaw else { return }
        saved.withUnsafeBytes { _ = procd_terminal_restore(fd, $0.baseAddress) }
        isRaw = false
    }

    deinit { restore() }
}
