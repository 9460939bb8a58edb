/// The recursive-descent reader behind `YAML.load`: one document into `JSON`.
///
/// It works on UTF-8 bytes followed by a NUL sentinel (`YAML.load` has refused NUL in
/// the input), so looking one or three bytes ahead needs no bounds check: any test of a
/// byte past a NUL is never reached. The bytes are borrowed for the parse only (see
/// `YAML.load`), which spares the array's bounds check on every read. Every node reader stops at the first character of
/// the next line that has content, or at the end; block collections then compare that
/// column with their own indentation to know whether the line is theirs.
struct YAMLParser {
    /// Where a node stands: after `key:`, after `- `, or as the document itself.
    enum Context { case mappingValue, sequenceEntry, document }

    let b: UnsafeBufferPointer<UInt8>
    let end: Int
    let file: String
    let limits: YAML.Limits
    var i = 0
    var lineStart = 0
    var depth = 0
    /// Values made so far, aliases counted at their expanded size.
    var values = 0
    var anchors: [String: (value: JSON, size: Int)] = [:]
    var warnings: [YAMLWarning] = []

    /// `bytes` ends with the NUL sentinel and outlives the parser.
    init(bytes: UnsafeBufferPointer<UInt8>, file: String, limits: YAML.Limits) {
        b = bytes
        end = bytes.count - 1
        self.file = file
        self.limits = limits
    }

    // MARK: Bytes

    static let space: UInt8 = 0x20, tab: UInt8 = 0x09, lineFeed: UInt8 = 0x0A, carriageReturn: UInt8 = 0x0D

    @inline(__always) static func isBreak(_ x: UInt8) -> Bool { x == lineFeed || x == carriageReturn }
    @inline(__always) static func isBlank(_ x: UInt8) -> Bool { x == space || x == tab }
    /// Space, tab, line break or the end.
    @inline(__always) static func isBlankOrEnd(_ x: UInt8) -> Bool { x <= space && (x == space || x == tab || x == lineFeed || x == carriageReturn || x == 0) }
    @inline(__always) static func isFlowIndicator(_ x: UInt8) -> Bool {
        x == UInt8(ascii: ",") || x == UInt8(ascii: "[") || x == UInt8(ascii: "]") || x == UInt8(ascii: "{") || x == UInt8(ascii: "}")
    }

    var atEnd: Bool { i >= end }
    var column: Int { i - lineStart }
    var atLineEnd: Bool { b[i] == 0 || Self.isBreak(b[i]) }

    /// At `- ` (or `-` ending the line): a block sequence entry.
    var atSequenceEntry: Bool { b[i] == UInt8(ascii: "-") && Self.isBlankOrEnd(b[i + 1]) }

    /// At `---` or `...` in the first column, followed by a blank or the end.
    var atDocumentMarker: Bool { atDocumentMarker(UInt8(ascii: "-")) || atDocumentMarker(UInt8(ascii: ".")) }

    func atDocumentMarker(_ x: UInt8) -> Bool {
        i == lineStart && b[i] == x && b[i + 1] == x && b[i + 2] == x && Self.isBlankOrEnd(b[i + 3])
    }

    mutating func skipBlanks() { while Self.isBlank(b[i]) { i += 1 } }

    mutating func skipToLineEnd() { while !atLineEnd { i += 1 } }

    /// Consumes one line break (LF, CRLF or CR) and starts the next line.
    mutating func consumeBreak() {
        if b[i] == Self.carriageReturn {
            i += 1
            if b[i] == Self.lineFeed { i += 1 }
        } else if b[i] == Self.lineFeed {
            i += 1
        }
        lineStart = i
    }

    // MARK: Lines

    /// Ends the current line after a value: blanks, maybe a comment, then the break.
    mutating func finishLine() throws(YAMLError) {
        skipBlanks()
        if b[i] == UInt8(ascii: "#") {
            if i > lineStart && !Self.isBlank(b[i - 1]) { throw failure("a comment needs a space before '#'") }
            skipToLineEnd()
        }
        if atEnd { return }
        if Self.isBreak(b[i]) {
            consumeBreak()
            return
        }
        throw unexpectedText()
    }

    /// From the start of a line: past empty and comment-only lines, to the first
    /// character of the next line with content, or the end.
    mutating func skipBlankLines() throws(YAMLError) {
        while !atEnd {
            while b[i] == Self.space { i += 1 }
            if b[i] == Self.tab {
                let tab = i
                skipBlanks()
                if !(atLineEnd || b[i] == UInt8(ascii: "#")) {
                    i = tab
                    throw failure("tab characters cannot indent YAML; use spaces")
                }
            }
            if b[i] == UInt8(ascii: "#") { skipToLineEnd() }
            if atEnd { return }
            if Self.isBreak(b[i]) {
                consumeBreak()
                continue
            }
            return
        }
    }

    /// After a value that ended mid-line: the rest of the line, then the next content.
    mutating func nextContent() throws(YAMLError) {
        try finishLine()
        try skipBlankLines()
    }

    // MARK: Document

    /// The one document of the stream; a second one is an error.
    mutating func document() throws(YAMLError) -> JSON {
        if b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF {
            i = 3
            lineStart = 3
        }
        try skipBlankLines()
        var sawDirective = false
        var sawVersion = false
        while i == lineStart && b[i] == UInt8(ascii: "%") {
            try directive(sawVersion: &sawVersion)
            sawDirective = true
        }
        var value = JSON.null
        if atDocumentMarker(UInt8(ascii: "-")) {
            i += 3
            value = try self.value(parent: -1, context: .document)
        } else if sawDirective {
            throw failure("directives must be followed by '---' and the document")
        } else if !atEnd && !atDocumentMarker(UInt8(ascii: ".")) {
            value = try node(parent: -1, inline: false, context: .document)
        }
        if atDocumentMarker(UInt8(ascii: ".")) {
            i += 3
            try nextContent()
            if atEnd { return value }
            throw failure("a second YAML document starts here; procd reads one document a file, so put each in a file of its own")
        }
        if atEnd { return value }
        if atDocumentMarker(UInt8(ascii: "-")) {
            throw failure("a second YAML document starts here; procd reads one document a file, so put each in a file of its own")
        }
        throw failure("this line does not fit the structure above it; check its indentation")
    }

    /// `%YAML 1.2`, `%TAG …`: read, and only a YAML version other than 1.2 is worth a word.
    mutating func directive(sawVersion: inout Bool) throws(YAMLError) {
        let start = i
        while !Self.isBlankOrEnd(b[i]) { i += 1 }
        let name = String(decoding: b[start..<i], as: UTF8.self)
        if name == "%YAML" {
            if sawVersion { throw failure("the document has two %YAML directives", at: start) }
            sawVersion = true
            skipBlanks()
            let versionStart = i
            while !Self.isBlankOrEnd(b[i]) { i += 1 }
            let version = String(decoding: b[versionStart..<i], as: UTF8.self)
            let parts = version.split(separator: ".", omittingEmptySubsequences: false)
            guard parts.count == 2, parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy({ $0.isASCII && $0.isNumber }) }) else {
                throw failure("%YAML needs a version such as 1.2", at: versionStart)
            }
            if version != "1.2" {
                warn("the document declares YAML \(version); procd reads it as YAML 1.2, where yes, no, on and off are strings", at: start)
            }
        } else {
            if name != "%TAG" { warn("unknown directive \(name); ignored", at: start) }
            while !atLineEnd && !(b[i] == UInt8(ascii: "#") && Self.isBlank(b[i - 1])) { i += 1 }
        }
        try nextContent()
    }

    // MARK: Limits, anchors and messages

    mutating func enter() throws(YAMLError) {
        depth += 1
        if depth > limits.maxDepth { throw failure("collections are nested deeper than \(limits.maxDepth) levels") }
    }

    /// Counts a value made at the current position.
    mutating func made(_ count: Int = 1) throws(YAMLError) {
        values += count
        if values > limits.maxValues {
            throw failure("aliases expand this document past \(limits.maxValues) values (a \"billion laughs\" file?); procd refuses it")
        }
    }

    mutating func register(_ anchor: String?, _ value: JSON, since start: Int) {
        if let anchor { anchors[anchor] = (value, max(values - start, 1)) }
    }

    func failure(_ message: String, at offset: Int? = nil) -> YAMLError {
        YAMLError(file: file, bytes: Array(b[0..<end]), offset: offset ?? i, message: message)
    }

    mutating func warn(_ message: String, at offset: Int) {
        let located = failure(message, at: offset)
        warnings.append(YAMLWarning(file: file, line: located.line, column: located.column, message: message))
    }

    /// What is wrong with text left on a line after its value.
    func unexpectedText() -> YAMLError {
        switch b[i] {
        case UInt8(ascii: ":"):
            return failure("a value cannot hold 'key: value' on the same line; start the inner mapping on the next line, indented, or quote the value")
        case UInt8(ascii: "#"):
            return failure("a comment needs a space before '#'")
        default:
            return failure("unexpected text after the value; quote the whole value if it belongs to it")
        }
    }
}
