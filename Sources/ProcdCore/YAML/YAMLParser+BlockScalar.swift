/// Literal (`|`) and folded (`>`) block scalars, with their chomping (`-`, `+`) and
/// indentation (1–9) indicators.
extension YAMLParser {
    enum Chomping { case strip, clip, keep }

    /// The block scalar whose header is at the current position; `n` is the indentation
    /// of the collection it belongs to. Ends at the start of the first line that is not
    /// its own.
    mutating func blockScalar(parent n: Int) throws(YAMLError) -> String {
        let (literal, chomping, explicitIndent) = try blockHeader()
        var indent = explicitIndent.map { max(n, 0) + $0 }
        var out: [UInt8] = []
        var emptyLines = 0
        var leadingSpaces = 0
        var sawContent = false
        var previousMoreIndented = false
        var endedWithBreak = false
        while !atEnd {
            let begin = i
            // Spaces past the indentation, once it is known, belong to the content.
            let limit = indent ?? Int.max
            while b[i] == Self.space && i - begin < limit { i += 1 }
            let spaces = i - begin
            if atEnd { break }
            if Self.isBreak(b[i]) {
                if indent == nil { leadingSpaces = max(leadingSpaces, spaces) }
                emptyLines += 1
                consumeBreak()
                continue
            }
            if let indent {
                if spaces < indent || (indent == 0 && atDocumentMarker) {
                    i = begin
                    break
                }
            } else {
                if spaces <= n || (spaces == 0 && atDocumentMarker) {
                    i = begin
                    break
                }
                if leadingSpaces > spaces {
                    throw failure("an empty line at the start of this block scalar has more spaces than its first line", at: begin)
                }
                indent = spaces
            }
            let contentStart = i
            skipToLineEnd()
            // A line that starts with a blank past the indentation keeps its line breaks when folded.
            let moreIndented = Self.isBlank(b[contentStart])
            let separators: Int
            if !sawContent {
                separators = emptyLines
            } else if !literal && !moreIndented && !previousMoreIndented {
                if emptyLines == 0 { out.append(Self.space) }
                separators = emptyLines
            } else {
                separators = emptyLines + 1
            }
            out.append(contentsOf: repeatElement(Self.lineFeed, count: separators))
            out.append(contentsOf: b[contentStart..<i])
            previousMoreIndented = moreIndented
            sawContent = true
            emptyLines = 0
            endedWithBreak = !atEnd
            if !atEnd { consumeBreak() }
        }
        return Self.chomped(out, chomping ?? .clip, sawContent: sawContent, emptyLines: emptyLines, endedWithBreak: endedWithBreak)
    }

    /// `|` or `>`, then a chomping and an indentation indicator in either order, then the
    /// end of the line.
    private mutating func blockHeader() throws(YAMLError) -> (literal: Bool, chomping: Chomping?, indent: Int?) {
        let literal = b[i] == UInt8(ascii: "|")
        i += 1
        var chomping: Chomping?
        var explicitIndent: Int?
        for _ in 0..<2 {
            let x = b[i]
            if (x == UInt8(ascii: "-") || x == UInt8(ascii: "+")) && chomping == nil {
                chomping = x == UInt8(ascii: "-") ? .strip : .keep
                i += 1
            } else if x >= UInt8(ascii: "1") && x <= UInt8(ascii: "9") && explicitIndent == nil {
                explicitIndent = Int(x - UInt8(ascii: "0"))
                i += 1
            }
        }
        guard Self.isBlankOrEnd(b[i]) else {
            throw failure("a block scalar starts with | or >, then optionally - or + and an indentation digit 1-9, then the end of the line")
        }
        try finishLine()
        return (literal, chomping, explicitIndent)
    }

    /// The content with its final line breaks as the chomping indicator says.
    private static func chomped(_ content: [UInt8], _ chomping: Chomping, sawContent: Bool, emptyLines: Int,
                                endedWithBreak: Bool) -> String {
        var out = content
        if !sawContent {
            out = chomping == .keep ? Array(repeating: lineFeed, count: emptyLines) : []
            return String(decoding: out, as: UTF8.self)
        }
        switch chomping {
        case .strip: break
        case .clip: if endedWithBreak { out.append(lineFeed) }
        case .keep: out.append(contentsOf: repeatElement(lineFeed, count: emptyLines + (endedWithBreak ? 1 : 0)))
        }
        return String(decoding: out, as: UTF8.self)
    }
}
