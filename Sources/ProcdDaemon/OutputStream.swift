import ProcdCore
import ProcdPlatform

/// Receives every piece of output as it is written to its file (for `logs -f`).
protocol OutputObserver: AnyObject {
    func streamWrote(_ stream: OutputStream, _ bytes: UnsafeRawBufferPointer)
}

/// One process's stdout or stderr: the pipe the daemon reads, and the file it fills.
///
/// Output is written in whole lines, so merged logs of several instances never interleave
/// inside a line; a partial last line is held until its newline, the process's end, or
/// `maxHeld` bytes.
final class OutputStream {
    enum Kind: String { case out, err }

    let token: UInt64
    let processID: Int
    let appName: String
    let kind: Kind
    let pipe: OwnedFD
    let file: LogFile
    /// Timestamp format for each line: nil for none, "" for ISO-8601 UTC.
    let dateFormat: String?
    weak var observer: OutputObserver?
    private var held: [UInt8] = []
    private var atLineStart = true

    static let maxHeld = 1 << 20

    init(token: UInt64, processID: Int, appName: String, kind: Kind, pipe: OwnedFD, file: LogFile,
         dateFormat: String?, observer: OutputObserver) {
        self.token = token
        self.processID = processID
        self.appName = appName
        self.kind = kind
        self.pipe = pipe
        self.file = file
        self.dateFormat = dateFormat
        self.observer = observer
    }

    /// Writes what was read. Complete lines go out now; the tail waits for its newline.
    func consume(_ chunk: UnsafeRawBufferPointer) throws(SystemError) {
        guard let lastNewline = chunk.lastIndex(of: UInt8(ascii: "\n")) else {
            held.append(contentsOf: chunk)
            if held.count >= Self.maxHeld { try flush() }
            return
        }
        let complete = UnsafeRawBufferPointer(rebasing: chunk[...lastNewline])
        if held.isEmpty && dateFormat == nil {
            try emit(complete)
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
        if let dateFormat { output = stamp(output, format: dateFormat) }
        try output.withBytes { bytes throws(SystemError) in try emit(bytes) }
    }

    private func emit(_ bytes: UnsafeRawBufferPointer) throws(SystemError) {
        try file.append(bytes)
        observer?.streamWrote(self, bytes)
    }

    private func stamp(_ bytes: [UInt8], format: String) -> [UInt8] {
        let now = Clock.wallMilliseconds()
        let text = format.isEmpty
            ? Format.iso8601(millisecondsSinceEpoch: now)
            : LogDateFormat.render(format, Clock.localTime(millisecondsSinceEpoch: now))
        let prefix = Array((text + " ").utf8)
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
