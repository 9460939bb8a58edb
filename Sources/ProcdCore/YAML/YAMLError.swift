/// Why a YAML file was refused: where (file, line, column, counted from 1 in
/// characters), the line itself with a caret under the spot, and a plain sentence.
public struct YAMLError: Error, Equatable, Sendable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var column: Int
    public var message: String
    /// The text of the offending line, without its line break.
    public var sourceLine: String

    public init(file: String, line: Int, column: Int, message: String, sourceLine: String) {
        self.file = file
        self.line = line
        self.column = column
        self.message = message
        self.sourceLine = sourceLine
    }

    /// The error at byte `offset` of `bytes`; line and column are counted only here,
    /// when something went wrong, so parsing never tracks them.
    init(file: String, bytes: [UInt8], offset: Int, message: String) {
        var line = 1
        var start = 0
        var index = 0
        let stop = min(offset, bytes.count)
        while index < stop {
            let byte = bytes[index]
            index += 1
            if byte == 0x0A || (byte == 0x0D && (index >= bytes.count || bytes[index] != 0x0A)) {
                line += 1
                start = index
            }
        }
        var end = start
        while end < bytes.count, bytes[end] != 0x0A, bytes[end] != 0x0D { end += 1 }
        // A byte order mark is not a character of the first line.
        let from = start == 0 && bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? min(3, end) : start
        let column = bytes[from..<max(from, stop)].reduce(1) { $1 & 0xC0 == 0x80 ? $0 : $0 + 1 }
        self.init(file: file, line: line, column: column, message: message,
                  sourceLine: String(decoding: bytes[from..<end], as: UTF8.self))
    }

    /// `FILE:LINE:COLUMN: message`, then the line and a caret under the column. Tabs of the
    /// line are repeated in the caret's indentation so that it lines up in a terminal.
    public var description: String {
        var text = "\(file):\(line):\(column): \(message)"
        let shown = sourceLine.count > 200 ? String(sourceLine.prefix(200)) + "…" : sourceLine
        guard !shown.isEmpty else { return text }
        let pad = shown.prefix(max(column - 1, 0)).map { $0 == "\t" ? "\t" : " " }.joined()
        text += "\n  \(shown)\n  \(pad)^"
        return text
    }

    /// The length of the valid UTF-8 sequence at `offset` (no overlong form, surrogate or
    /// code point past U+10FFFF), or 0 when it is not valid.
    static func sequenceLength(_ bytes: UnsafeBufferPointer<UInt8>, at offset: Int) -> Int {
        let lead = bytes[offset]
        let length: Int
        var low: UInt8 = 0x80
        var high: UInt8 = 0xBF
        switch lead {
        case 0x00...0x7F: return 1
        case 0xC2...0xDF: length = 2
        case 0xE0: length = 3; low = 0xA0
        case 0xED: length = 3; high = 0x9F
        case 0xE1...0xEF: length = 3
        case 0xF0: length = 4; low = 0x90
        case 0xF4: length = 4; high = 0x8F
        case 0xF1...0xF3: length = 4
        default: return 0
        }
        guard offset + length <= bytes.count else { return 0 }
        let second = bytes[offset + 1]
        guard second >= low && second <= high else { return 0 }
        for index in (offset + 2)..<(offset + length) where bytes[index] & 0xC0 != 0x80 { return 0 }
        return length
    }
}
