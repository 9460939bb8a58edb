import ProcdCore
import ProcdPlatform

/// A log file shared by every stream that writes to it (instances of one app), rotated by
/// size when the app asks for it.
///
/// It is created and opened at the first byte written, not when the process starts:
/// creating two files per app is most of what starting a thousand apps costs on ext4, and
/// a quiet stream (most apps' stderr) then never costs a file at all.
final class LogFile {
    let path: String
    private(set) var fd: OwnedFD?
    private(set) var size: Int64 = 0
    var users = 0
    /// Set after a failed write, so the daemon logs a failure once rather than per chunk.
    var failing = false
    /// Rotation: the size a file may reach (0 is off) and how many rotated files to keep.
    var maxSize: Int64 = 0
    var retain = 0

    init(path: String) {
        self.path = path
    }

    /// Appends whole lines. With rotation on, a write that would pass `maxSize` is split at
    /// a line boundary and the file rotated in between, so no line is split or duplicated.
    /// Regular-file writes block: that is the back-pressure we want (the app waits on its
    /// full pipe rather than the daemon dropping output).
    func append(_ bytes: UnsafeRawBufferPointer) throws(SystemError) {
        var rest = bytes
        while maxSize > 0, size + Int64(rest.count) > maxSize {
            let room = Int(max(maxSize - size, 0))
            // The last newline that still fits; a single line longer than the limit goes whole.
            var cut = rest.prefix(room).lastIndex(of: UInt8(ascii: "\n")).map { $0 + 1 }
            if cut == nil, size == 0 { cut = rest.firstIndex(of: UInt8(ascii: "\n")).map { $0 + 1 } ?? rest.count }
            if let cut, cut > 0 {
                try write(UnsafeRawBufferPointer(rebasing: rest[..<cut]))
                rest = UnsafeRawBufferPointer(rebasing: rest[cut...])
            }
            if rest.isEmpty { return }
            try rotate()
        }
        try write(rest)
    }

    /// Output is not written at all (`procd run --no-log-files`): the console has it.
    var discards = false

    private func write(_ bytes: UnsafeRawBufferPointer) throws(SystemError) {
        if discards { return }
        if fd == nil { try open() }
        guard let fd else { return }
        try fd.writeAll(bytes)
        size += Int64(bytes.count)
    }

    /// Shifts NAME.log.1 … NAME.log.(retain-1) up by one, moves the live file to .1, and
    /// opens a fresh live file.
    func rotate() throws(SystemError) {
        try Self.shiftAside(path, retain: retain)
        try open()
    }

    /// NAME.log becomes NAME.log.1, .1 becomes .2 and so on, up to `retain` (0 removes it).
    static func shiftAside(_ path: String, retain: Int) throws(SystemError) {
        guard File.exists(path) else { return }
        if retain > 0 {
            try? File.remove("\(path).\(retain)")
            for index in stride(from: retain - 1, through: 1, by: -1) where File.exists("\(path).\(index)") {
                try File.rename("\(path).\(index)", to: "\(path).\(index + 1)")
            }
            try File.rename(path, to: "\(path).1")
        } else {
            try File.remove(path)
        }
    }

    /// Reopens the file at its path (after an external rotation); one not opened yet
    /// stays so until its first write.
    func reopen() throws(SystemError) {
        guard fd != nil else { return }
        try open()
    }

    private func open() throws(SystemError) {
        let fresh = try File.openForAppending(path)
        fd?.close()
        fd = fresh
        size = File.size(path) ?? 0
    }

    /// Empties the file (for `flush`).
    func truncate() throws(SystemError) {
        if fd != nil || File.exists(path) { try File.truncate(path) }
        size = 0
    }

    func close() {
        fd?.close()
        fd = nil
    }
}
