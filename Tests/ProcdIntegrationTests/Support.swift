import Foundation

/// The built `procd`, `procctl` and `procd-fixture` executables.
///
/// Under `swift test` on Linux the test bundle is an executable in the products folder
/// (`.build/<triple>/debug/procdPackageTests.xctest`): `CommandLine.arguments[0]` and
/// /proc/self/exe name it, so their folder holds the products; `Bundle.main.bundlePath` is
/// that folder itself. The first candidate holding an executable `procctl` wins.
enum Binaries {
    static let directory: String = {
        var candidates: [String] = []
        if let first = CommandLine.arguments.first {
            candidates.append(URL(fileURLWithPath: first).deletingLastPathComponent().path)
        }
        candidates.append(Bundle.main.bundlePath)
        if let exe = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            candidates.append(URL(fileURLWithPath: exe).deletingLastPathComponent().path)
        }
        for candidate in candidates where FileManager.default.isExecutableFile(atPath: candidate + "/procctl") {
            return candidate
        }
        return candidates.first ?? "."
    }()

    static var procd: String { directory + "/procd" }
    static var procctl: String { directory + "/procctl" }
    static var fixture: String { directory + "/procd-fixture" }
}

/// Facts about processes, read from /proc.
enum ProcessProbe {
    /// True while `pid` runs; a zombie counts as gone (it has exited, only its entry is left,
    /// and nothing here reaps orphans re-parented to the container's init).
    static func isAlive(_ pid: Int32) -> Bool {
        guard pid > 0, kill(pid, 0) == 0 || errno == EPERM else { return false }
        guard let state = state(pid) else { return false }
        return state != "Z" && state != "X"
    }

    /// Running app processes of a home: leaders of their process group whose environment
    /// carries that PROCD_HOME and a PROCD_ID (their children inherit both, but not the group).
    static func markedPids(home: String) -> Set<Int32> {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        var found = Set<Int32>()
        for entry in entries {
            guard let pid = Int32(entry), isAlive(pid), getpgid(pid) == pid,
                  let environ = FileManager.default.contents(atPath: "/proc/\(pid)/environ") else { continue }
            let variables = String(decoding: environ, as: UTF8.self).split(separator: "\0")
            if variables.contains(Substring("PROCD_HOME=\(home)")) && variables.contains(where: { $0.hasPrefix("PROCD_ID=") }) {
                found.insert(pid)
            }
        }
        return found
    }

    /// The state letter of /proc/PID/stat, or nil when the process is gone.
    static func state(_ pid: Int32) -> Character? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = text.lastIndex(of: ")")
        else { return nil }
        return text[close...].dropFirst(2).first
    }

    /// Children of every thread of `pid`, from /proc/PID/task/TID/children.
    static func children(of pid: Int32) -> [Int32] {
        let tasks = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/task")) ?? []
        return tasks.flatMap { task -> [Int32] in
            let text = (try? String(contentsOfFile: "/proc/\(pid)/task/\(task)/children", encoding: .utf8)) ?? ""
            return text.split(separator: " ").compactMap { Int32($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
        }
    }

    /// The whole environment of a process, as a dictionary.
    static func environment(_ pid: Int32) -> [String: String]? {
        guard let data = FileManager.default.contents(atPath: "/proc/\(pid)/environ") else { return nil }
        var out: [String: String] = [:]
        for entry in data.split(separator: 0) {
            let text = String(decoding: entry, as: UTF8.self)
            if let eq = text.firstIndex(of: "=") { out[String(text[..<eq])] = String(text[text.index(after: eq)...]) }
        }
        return out
    }
}

/// Small TCP and Unix-socket clients for the tests.
enum Network {
    /// A TCP port on 127.0.0.1 that was free a moment ago (the kernel's choice).
    static func freePort() -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer -> Bool in
                bind(fd, pointer, length) == 0 && getsockname(fd, pointer, &length) == 0
            }
        }
        precondition(bound, "unable to bind a TCP socket on 127.0.0.1")
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// Sends an HTTP/1.0 GET to 127.0.0.1:port and returns what came back, or nil when the
    /// connection was refused.
    static func httpGet(port: Int, path: String = "/") -> String? {
        tcpRoundTrip(port: port, "GET \(path) HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n")
    }

    /// Sends `text` to 127.0.0.1:port and returns everything read until the server closed
    /// the connection; nil when the connection was refused.
    static func tcpRoundTrip(port: Int, _ text: String) -> String? {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = UInt16(port).bigEndian
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
        guard connected else { return nil }
        setReceiveTimeout(fd, seconds: 5)
        guard send(fd, text) else { return nil }
        return String(decoding: readAll(fd, limit: 1 << 20), as: UTF8.self)
    }

    /// Connects to a Unix socket; nil when nothing listens there.
    static func connectUnix(_ path: String) -> Int32? {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { return nil }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        guard bytes.count < MemoryLayout.size(ofValue: address.sun_path) else {
            close(fd)
            return nil
        }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (i, byte) in bytes.enumerated() { raw[i] = byte }
        }
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) == 0
            }
        }
        if !connected {
            close(fd)
            return nil
        }
        setReceiveTimeout(fd, seconds: 5)
        return fd
    }

    static func send(_ fd: Int32, _ text: String) -> Bool {
        let bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress! + offset, $0.count - offset, Int32(MSG_NOSIGNAL)) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { return false }
            offset += n
        }
        return true
    }

    /// Reads one line (without its newline); nil at end of stream or on timeout.
    static func readLine(_ fd: Int32) -> String? {
        var line: [UInt8] = []
        var byte: UInt8 = 0
        while true {
            let n = read(fd, &byte, 1)
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { return line.isEmpty ? nil : String(decoding: line, as: UTF8.self) }
            if byte == UInt8(ascii: "\n") { return String(decoding: line, as: UTF8.self) }
            line.append(byte)
        }
    }

    static func readAll(_ fd: Int32, limit: Int) -> [UInt8] {
        var out: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 16_384)
        while out.count < limit {
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress!, $0.count) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { break }
            out += buffer[0..<n]
        }
        return out
    }

    private static func setReceiveTimeout(_ fd: Int32, seconds: Int) {
        var timeout = timeval(tv_sec: seconds, tv_usec: 0)
        _ = setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    }
}
