/// Reads YAML into the same `JSON` value the JSON parser gives, so that configuration
/// files of either kind share everything after parsing.
///
/// The subset is what configuration files use: block and flow collections, every scalar
/// style, comments, one document, anchors, aliases and merge keys, resolved with the
/// YAML 1.2 core schema. Mapping keys are read as text and keep their order. Input is
/// bounded (`Limits`) so that a hostile file is refused quickly.
public enum YAML {
    /// How much a document may hold.
    public struct Limits: Sendable {
        /// The largest input, in bytes.
        public var maxBytes = 16 << 20
        /// Collections inside collections.
        public var maxDepth = 256
        /// Values in the document once every alias is expanded: a "billion laughs" file
        /// passes this after a few thousand bytes and is refused there.
        public var maxValues = 1_000_000

        public init() {}
    }

    /// A parsed document and what was read but deserves a word (ignored tags, a
    /// `%YAML 1.1` directive).
    public struct Document: Sendable {
        public var value: JSON
        public var warnings: [YAMLWarning]
    }

    /// The value of the one document in `text`; `file` names it in errors.
    public static func parse(_ text: String, file: String = "<input>") throws(YAMLError) -> JSON {
        try load(bytes: Array(text.utf8), file: file).value
    }

    /// The document in `bytes` (UTF-8, an optional byte order mark), with its warnings.
    public static func load(bytes: [UInt8], file: String, limits: Limits = Limits()) throws(YAMLError) -> Document {
        if bytes.count > limits.maxBytes {
            throw YAMLError(file: file, bytes: bytes, offset: 0, message: "the file is larger than \(limits.maxBytes >> 20) MiB; procd reads YAML files up to that size")
        }
        try checkCharacters(bytes, file: file)
        var padded = bytes
        padded.append(0)
        let parsed: Result<Document, YAMLError> = padded.withUnsafeBufferPointer { buffer in
            var parser = YAMLParser(bytes: buffer, file: file, limits: limits)
            do throws(YAMLError) {
                let value = try parser.document()
                return .success(Document(value: value, warnings: parser.warnings))
            } catch {
                return .failure(error)
            }
        }
        return try parsed.get()
    }

    /// Refuses control characters (YAML allows tab, line feed and carriage return only)
    /// and invalid UTF-8 before parsing, so the parser can use NUL as its end sentinel
    /// and turn any run of bytes into text without checking again.
    static func checkCharacters(_ bytes: [UInt8], file: String) throws(YAMLError) {
        let problem: (offset: Int, byte: UInt8)? = bytes.withUnsafeBufferPointer { buffer in
            var offset = 0
            while offset < buffer.count {
                let byte = buffer[offset]
                if byte >= 0x80 {
                    let length = YAMLError.sequenceLength(buffer, at: offset)
                    if length == 0 { return (offset, byte) }
                    offset += length
                    continue
                }
                if (byte < 0x20 && byte != 0x09 && byte != 0x0A && byte != 0x0D) || byte == 0x7F { return (offset, byte) }
                offset += 1
            }
            return nil
        }
        guard let problem else { return }
        if problem.byte >= 0x80 {
            throw YAMLError(file: file, bytes: bytes, offset: problem.offset, message: "the file is not valid UTF-8 here; save it as UTF-8")
        }
        let code = String(problem.byte, radix: 16, uppercase: true)
        throw YAMLError(file: file, bytes: bytes, offset: problem.offset,
                        message: "control character U+\(String(repeating: "0", count: 4 - code.count) + code) is not allowed in YAML; write it as an escape in a double-quoted string")
    }
}

/// Something in a YAML file that was read, but maybe not as its author meant.
public struct YAMLWarning: Equatable, Sendable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var column: Int
    public var message: String

    public var description: String { "\(file):\(line):\(column): \(message)" }
}
