/// Splits a byte stream into newline-terminated lines, refusing lines over a limit.
///
/// A line over the limit is reported once as `.tooLong` and its remaining bytes are
/// discarded up to the next newline, so one hostile line cannot grow memory.
public struct LineFramer: Sendable {
    public enum Item: Equatable, Sendable {
        case line([UInt8])
        case tooLong
    }

    /// The SPEC's limit: 1 MiB a line.
    public static let defaultLimit = 1 << 20

    public let limit: Int
    private var buffer: [UInt8] = []
    private var discarding = false

    public init(limit: Int = LineFramer.defaultLimit) { self.limit = limit }

    /// Bytes held for an unfinished line.
    public var pendingCount: Int { buffer.count }

    public mutating func append(_ bytes: [UInt8]) -> [Item] {
        bytes.withUnsafeBytes { append($0) }
    }

    public mutating func append(_ bytes: ArraySlice<UInt8>) -> [Item] {
        bytes.withUnsafeBytes { append($0) }
    }

    /// Concrete over raw bytes: this runs on every read, and a generic version called
    /// across modules is not specialised (it went through witness tables byte by byte).
    public mutating func append(_ bytes: UnsafeRawBufferPointer) -> [Item] {
        var items: [Item] = []
        var rest = bytes[...]
        while let newline = rest.firstIndex(of: UInt8(ascii: "\n")) {
            let piece = rest[..<newline]
            if discarding {
                discarding = false
            } else if buffer.count + piece.count > limit {
                items.append(.tooLong)
            } else {
                buffer.append(contentsOf: piece)
                items.append(.line(buffer))
            }
            buffer.removeAll(keepingCapacity: buffer.count < 65_536)
            rest = rest[rest.index(after: newline)...]
        }
        if !discarding {
            if buffer.count + rest.count > limit {
                buffer.removeAll()
                discarding = true
                items.append(.tooLong)
            } else {
                buffer.append(contentsOf: rest)
            }
        }
        return items
    }
}
