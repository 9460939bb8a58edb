import ProcdCore
import ProcdPlatform

/// An open log file shared by every stream that writes to it (instances of one app).
final class LogFile {
    let path: String
    private(set) var fd: OwnedFD?
    var users = 0
    /// Set after a failed write, so the daemon logs a failure once rather than per chunk.
    var failing = false

    init(path: String) throws(SystemError) {
        self.path = path
        fd = try File.openForAppending(path)
    }

    /// Appends bytes. Regular-file writes block, which is the back-pressure we want:
    /// the app waits on its full pipe rather than the daemon dropping output.
    func append(_ bytes: UnsafeRawBufferPointer) throws(SystemError) {
        guard let fd else { return }
        try fd.writeAll(bytes)
    }

    /// Reopens the file at its path (after an external rotation or a flush).
    func reopen() throws(SystemError) {
        let fresh = try File.openForAppending(path)
        fd?.close()
        fd = fresh
    }

    func close() {
        fd?.close()
        fd = nil
    }
}

/// One process's stdout or stderr: the pipe the daemon reads, and the file it fills.
///
/// Output is written in whole lines, so merged logs of several instances never interleave
/// inside a line; a partial last line is held until its newline, the process's end, or
/// `maxHeld` bytes.
final class OutputStream {
    let token: UInt64
    let processID: Int
    let pipe: OwnedFD
    let file: LogFile
    let timestamps: Bool
    private var held: [UInt8] = []
    private var atLineStart = true

    static let maxHeld = 1 << 20

    init(token: UInt64, processID: Int, pipe: OwnedFD, file: LogFile, timestamps: Bool) {
        self.token = token
        self.processID = processID
        self.pipe = pipe
        self.file = file
        self.timestamps = timestamps
    }

    /// Writes what was read. Complete lines go out now; the tail waits for its newline.
    func consume(_ chunk: UnsafeRawBufferPointer) throws(SystemError) {
        guard let lastNewline = chunk.lastIndex(of: UInt8(ascii: "\n")) else {
            held.append(contentsOf: chunk)
            if held.count >= Self.maxHeld { try flush() }
            return
        }
        let complete = UnsafeRawBufferPointer(rebasing: chunk[...lastNewline])
        if held.isEmpty && !timestamps {
            try file.append(complete)
        } else {
            held.append(contentsOf: complete)
            try flush()
        }
        let rest = chunk[(lastNewline + 1)...]
        if !rest.isEmpty { held.append(contentsOf: rest) }
    }

    /// Writes everything held, a partial last line included.
    func flush() throws(SystemError) {
        guard !held.isEmpty else { return }
        var output = held
        held.removeAll(keepingCapacity: held.count <= 65_536)
        if timestamps { output = stamp(output) }
        try output.withBytes { bytes throws(SystemError) in try file.append(bytes) }
    }

    private func stamp(_ bytes: [UInt8]) -> [UInt8] {
        let prefix = Array((Format.iso8601(millisecondsSinceEpoch: Clock.wallMilliseconds()) + " ").utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + prefix.count * 4)
        for byte in bytes {
            if atLineStart { out += prefix }
            out.append(byte)
            atLineStart = byte == UInt8(ascii: "\n")
        }
        return out
    }
}
