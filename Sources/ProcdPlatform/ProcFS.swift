import Glibc

/// Reads process figures from /proc, on demand (nothing here runs on a timer).
public enum ProcFS {
    public struct Stat: Equatable, Sendable {
        public var pid: Int32
        public var state: Character
        public var ppid: Int32
        public var pgrp: Int32
        /// User plus system CPU time, in clock ticks.
        public var cpuTicks: Int64
        /// Resident set size in bytes.
        public var residentBytes: Int64
        /// Start time in clock ticks since boot: with the pid, it names one process for sure.
        public var startTime: Int64
    }

    public struct Usage: Equatable, Sendable {
        public var cpuTicks: Int64 = 0
        public var residentBytes: Int64 = 0
        public var processes = 0
    }

    public static let ticksPerSecond = Int64(sysconf(Int32(_SC_CLK_TCK)))
    public static let pageSize = Int64(sysconf(Int32(_SC_PAGESIZE)))

    /// Parses /proc/PID/stat; nil when the process is gone.
    public static func stat(_ pid: Int32) -> Stat? {
        guard let bytes = readSmall("/proc/\(pid)/stat") else { return nil }
        return parseStat(bytes, pid: pid)
    }

    /// Parses /proc/PID/stat through a descriptor kept open for it (no path lookup per
    /// read: `list` reads every process's figures each time it runs).
    public static func stat(_ pid: Int32, through fd: OwnedFD) -> Stat? {
        var buffer = [UInt8](repeating: 0, count: 1024)
        let n = buffer.withUnsafeMutableBytes { bytes -> Int in
            guard let base = bytes.baseAddress else { return -1 }
            return pread(fd.raw, base, bytes.count, 0)
        }
        guard n > 0 else { return nil }
        return parseStat(Array(buffer[0..<n]), pid: pid)
    }

    /// Descriptors kept open on one process's /proc files, so measuring it again costs a
    /// pread each instead of a path lookup, an open and a close.
    public final class Handles {
        public let pid: Int32
        let stat: OwnedFD?
        let children: OwnedFD?

        public init(pid: Int32) {
            self.pid = pid
            stat = try? File.openForReading("/proc/\(pid)/stat")
            children = try? File.openForReading("/proc/\(pid)/task/\(pid)/children")
        }

        public func close() {
            stat?.close()
            children?.close()
        }
    }

    static func readAll(_ fd: OwnedFD) -> [UInt8]? {
        var buffer = [UInt8](repeating: 0, count: 1024)
        var total = 0
        while true {
            let n = buffer.withUnsafeMutableBytes { bytes -> Int in
                guard let base = bytes.baseAddress else { return -1 }
                return pread(fd.raw, base + total, bytes.count - total, off_t(total))
            }
            if n < 0 && errno == EINTR { continue }
            if n < 0 { return nil }
            if n == 0 { break }
            total += n
            if total == buffer.count { buffer += [UInt8](repeating: 0, count: buffer.count) } else { break }
        }
        return Array(buffer[0..<total])
    }

    static func parseChildren(_ bytes: [UInt8]) -> [Int32] {
        var out: [Int32] = []
        var value: Int32 = 0
        var inNumber = false
        for byte in bytes {
            if byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") {
                value = value &* 10 &+ Int32(byte - UInt8(ascii: "0"))
                inNumber = true
            } else if inNumber {
                out.append(value)
                value = 0
                inNumber = false
            }
        }
        if inNumber { out.append(value) }
        return out
    }

    static func parseStat(_ bytes: [UInt8], pid: Int32) -> Stat? {
        // The command name may hold spaces and parentheses: fields start after the last ')'.
        guard let close = bytes.lastIndex(of: UInt8(ascii: ")")), close + 2 < bytes.count else { return nil }
        // One pass over the digits, keeping the fields we need (numbered from 0 = state,
        // i.e. field 3 of proc(5)): ppid 1, pgrp 2, utime 11, stime 12, starttime 19, rss 21.
        var field = 0
        var value: Int64 = 0
        var negative = false
        var values = (ppid: Int64(0), pgrp: Int64(0), utime: Int64(0), stime: Int64(0), start: Int64(0), rss: Int64(0))
        var state = UInt8(ascii: "?")
        var i = close + 2
        while i <= bytes.count && field <= 21 {
            let byte = i < bytes.count ? bytes[i] : UInt8(ascii: " ")
            if byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\n") {
                let n = negative ? -value : value
                switch field {
                case 1: values.ppid = n
                case 2: values.pgrp = n
                case 11: values.utime = n
                case 12: values.stime = n
                case 19: values.start = n
                case 21: values.rss = n
                default: break
                }
                field += 1
                value = 0
                negative = false
            } else if field == 0 {
                state = byte
            } else if byte == UInt8(ascii: "-") {
                negative = true
            } else {
                value = value &* 10 &+ Int64(byte &- UInt8(ascii: "0"))
            }
            i += 1
        }
        guard field > 21 else { return nil }
        return Stat(
            pid: pid, state: Character(UnicodeScalar(state)),
            ppid: Int32(truncatingIfNeeded: values.ppid), pgrp: Int32(truncatingIfNeeded: values.pgrp),
            cpuTicks: values.utime + values.stime, residentBytes: values.rss * pageSize, startTime: values.start)
    }

    /// Direct children of `pid` (needs CONFIG_PROC_CHILDREN, as Debian has). Only the
    /// main thread's list is read: one file per process keeps `list` cheap, and children
    /// forked from other threads are rare.
    public static func children(_ pid: Int32) -> [Int32] {
        guard let bytes = readSmall("/proc/\(pid)/task/\(pid)/children"), !bytes.isEmpty else { return [] }
        return parseChildren(bytes)
    }

    /// CPU time and resident memory of `root` and all its descendants; `rootStat` is an
    /// open /proc/ROOT/stat to read the root's figures through.
    public static func treeUsage(_ root: Int32, handles: Handles? = nil) -> Usage {
        var usage = Usage()
        var pending: [Int32] = []
        var seen = Set<Int32>()
        // The root through its open handles; descendants (rare) by path.
        if let handles, handles.pid == root, let statFD = handles.stat, let figures = stat(root, through: statFD) {
            seen.insert(root)
            usage.cpuTicks += figures.cpuTicks
            usage.residentBytes += figures.residentBytes
            usage.processes = 1
            if let childrenFD = handles.children {
                pending = readAll(childrenFD).map(parseChildren) ?? []
            } else {
                pending = children(root)
            }
        } else {
            pending = [root]
        }
        while let pid = pending.popLast() {
            guard seen.insert(pid).inserted, let stat = stat(pid) else { continue }
            usage.cpuTicks += stat.cpuTicks
            usage.residentBytes += stat.residentBytes
            usage.processes += 1
            pending += children(pid)
        }
        return usage
    }

    /// Resident memory of this process, in bytes (from /proc/self/statm).
    public static func selfResidentBytes() -> Int64 {
        guard let bytes = readSmall("/proc/self/statm") else { return 0 }
        let fields = bytes.split(separator: UInt8(ascii: " "))
        guard fields.count > 1, let pages = Int64(String(decoding: fields[1], as: UTF8.self)) else { return 0 }
        return pages * pageSize
    }

    /// Every process id /proc lists now.
    public static func allPids() -> [Int32] { File.list("/proc").compactMap { Int32($0) } }

    /// The environment a process was started with (`NAME=value` entries, NUL-separated);
    /// nil when it cannot be read (gone, or another user's).
    public static func environment(_ pid: Int32) -> [UInt8]? { readSmall("/proc/\(pid)/environ") }

    /// Reads a small /proc file in one go, without allocating a descriptor object.
    static func readSmall(_ path: String) -> [UInt8]? {
        let fd = Glibc.open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { Glibc.close(fd) }
        var buffer = [UInt8](repeating: 0, count: 1024)
        var total = 0
        while total < buffer.count {
            let n = buffer.withUnsafeMutableBytes { bytes -> Int in
                guard let base = bytes.baseAddress else { return -1 }
                return Glibc.read(fd, base + total, bytes.count - total)
            }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { break }
            total += n
            if total == buffer.count { buffer += [UInt8](repeating: 0, count: buffer.count) }
        }
        return Array(buffer[0..<total])
    }
}
