import Glibc
import CProcdLinux

/// A descriptor with one owner. It is closed by `close()` or, failing that, on deinit.
///
/// A class rather than a move-only struct so it can live in the daemon's tables.
public final class OwnedFD {
    public private(set) var raw: Int32

    public init(adopting raw: Int32) { self.raw = raw }

    public var isOpen: Bool { raw >= 0 }

    /// Closes once; later calls do nothing. close(2) is not retried: on Linux the
    /// descriptor is gone even after EINTR.
    public func close() {
        guard raw >= 0 else { return }
        _ = Glibc.close(raw)
        raw = -1
    }

    deinit { if raw >= 0 { _ = Glibc.close(raw) } }

    func forgetRaw() { raw = -1 }

    /// Gives the descriptor up to a new owner (which adopts the number) without closing it.
    public func release() -> Int32 {
        let number = raw
        raw = -1
        return number
    }
}

/// Result of a read or write on a non-blocking descriptor.
public enum IOResult: Equatable, Sendable {
    case bytes(Int)
    case wouldBlock
    case endOfFile
}

extension OwnedFD {
    /// Reads into `buffer`; `.wouldBlock` on EAGAIN, `.endOfFile` at end.
    public func read(into buffer: UnsafeMutableRawBufferPointer) throws(SystemError) -> IOResult {
        while true {
            let n = FaultInjection.call(raw, .read) { Glibc.read(raw, buffer.baseAddress, buffer.count) }
            if n > 0 { return .bytes(n) }
            if n == 0 { return .endOfFile }
            let code = errno
            if code == EINTR { continue }
            if code == EAGAIN { return .wouldBlock }
            throw SystemError(call: "read", code: code)
        }
    }

    /// Writes as much as it can once; `.wouldBlock` on EAGAIN.
    public func write(_ buffer: UnsafeRawBufferPointer) throws(SystemError) -> IOResult {
        while true {
            let n = FaultInjection.call(raw, .write) { Glibc.write(raw, buffer.baseAddress, buffer.count) }
            if n >= 0 { return .bytes(n) }
            let code = errno
            if code == EINTR { continue }
            if code == EAGAIN { return .wouldBlock }
            throw SystemError(call: "write", code: code)
        }
    }

    /// Writes every byte, blocking as needed (for blocking descriptors and regular files).
    public func writeAll(_ bytes: UnsafeRawBufferPointer) throws(SystemError) {
        var offset = 0
        while offset < bytes.count {
            let rest = UnsafeRawBufferPointer(rebasing: bytes[offset...])
            switch try write(rest) {
            case .bytes(let n): offset += n
            case .wouldBlock, .endOfFile: throw SystemError(call: "write", code: EAGAIN)
            }
        }
    }

    public func writeAll(_ text: String) throws(SystemError) {
        var copy = text
        let result: Result<Void, SystemError> = copy.withUTF8 { utf8 in
            do throws(SystemError) {
                try writeAll(UnsafeRawBufferPointer(utf8))
                return .success(())
            } catch {
                return .failure(error)
            }
        }
        try result.get()
    }

    /// Reads everything up to end of file, blocking.
    public func readToEnd(limit: Int = 64 << 20) throws(SystemError) -> [UInt8] {
        var out: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while out.count < limit {
            let result: Result<IOResult, SystemError> = chunk.withUnsafeMutableBytes { buffer in
                do throws(SystemError) { return .success(try read(into: buffer)) } catch { return .failure(error) }
            }
            switch try result.get() {
            case .bytes(let n): out.append(contentsOf: chunk[0..<n])
            case .endOfFile, .wouldBlock: return out
            }
        }
        return out
    }

    public func setNonBlocking(_ on: Bool = true) throws(SystemError) {
        _ = try sys("fcntl") { procd_set_nonblocking(raw, on ? 1 : 0) }
    }
}

extension Array where Element == UInt8 {
    /// `withUnsafeBytes` for bodies with typed throws (which `rethrows` does not carry).
    public func withBytes<R>(_ body: (UnsafeRawBufferPointer) throws(SystemError) -> R) throws(SystemError) -> R {
        let result: Result<R, SystemError> = withUnsafeBytes { bytes in
            do throws(SystemError) { return .success(try body(bytes)) } catch { return .failure(error) }
        }
        return try result.get()
    }
}
