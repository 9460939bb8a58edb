/// The last `capacity` lines of a byte stream, fed in arbitrary chunks.
///
/// A line split across chunks is joined; a line longer than `maxLineBytes` is cut there,
/// so a process that writes megabytes without a newline costs a bounded amount.
public struct LineRing: Equatable, Sendable {
    public let capacity: Int
    public static let maxLineBytes = 1024
    private var complete: [String] = []
    private var partial: [UInt8] = []

    public init(capacity: Int = 20) { self.capacity = capacity }

    /// Takes a chunk of output. Only the part that can still matter is looked at: at most
    /// `capacity` newlines back from the end.
    public mutating func append(_ bytes: UnsafeRawBufferPointer) {
        guard !bytes.isEmpty else { return }
        var start = bytes.startIndex
        var newlines = 0
        var index = bytes.endIndex
        while index > bytes.startIndex {
            index -= 1
            if bytes[index] == UInt8(ascii: "\n") {
                newlines += 1
                if newlines > capacity {
                    start = index + 1
                    partial.removeAll()
                    break
                }
            }
        }
        var rest = bytes[start...]
        while let newline = rest.firstIndex(of: UInt8(ascii: "\n")) {
            keep(rest[rest.startIndex..<newline])
            push(partial)
            partial.removeAll(keepingCapacity: true)
            rest = rest[(newline + 1)...]
        }
        keep(rest)
    }

    private mutating func keep(_ piece: Slice<UnsafeRawBufferPointer>) {
        let room = Self.maxLineBytes - partial.count
        if room > 0 { partial.append(contentsOf: piece.prefix(room)) }
    }

    private mutating func push(_ line: [UInt8]) {
        var text = String(decoding: line, as: UTF8.self)
        if text.hasSuffix("\r") { text.removeLast() }
        complete.append(text)
        if complete.count > capacity { complete.removeFirst(complete.count - capacity) }
    }

    /// The kept lines, oldest first, a partial last line included.
    public var lines: [String] {
        guard !partial.isEmpty else { return complete }
        let all = complete + [String(decoding: partial, as: UTF8.self)]
        return Array(all.suffix(capacity))
    }

    public mutating func removeAll() {
        complete.removeAll()
        partial.removeAll()
    }
}
