/// Plain and quoted scalars, and the folding of their line breaks.
extension YAMLParser {
    /// Refuses a plain scalar that would start with an indicator YAML reserves.
    func checkPlainStart(flow: Bool) throws(YAMLError) {
        let x = b[i]
        if Self.isWordStart(x) { return }
        switch x {
        case UInt8(ascii: "-"), UInt8(ascii: "?"), UInt8(ascii: ":"):
            let next = b[i + 1]
            if !Self.isBlankOrEnd(next) && !(flow && Self.isFlowIndicator(next)) { return }
            if x == UInt8(ascii: ":") { throw failure("a key is missing before ':'") }
        case UInt8(ascii: "@"), UInt8(ascii: "`"):
            throw failure("'\(Character(Unicode.Scalar(x)))' is reserved in YAML and cannot start a plain value; quote the value")
        case UInt8(ascii: ","), UInt8(ascii: "]"), UInt8(ascii: "}"), UInt8(ascii: "%"), UInt8(ascii: "#"):
            break
        default:
            return
        }
        throw failure("'\(Character(Unicode.Scalar(x)))' cannot start a plain value here; quote the value")
    }

    /// Letters, digits, `.`, `/`, `_` and non-ASCII: no indicator starts with one.
    @inline(__always) static func isWordStart(_ x: UInt8) -> Bool {
        (x | 0x20 >= UInt8(ascii: "a") && x | 0x20 <= UInt8(ascii: "z")) || (x >= UInt8(ascii: ".") && x <= UInt8(ascii: "9")) || x == UInt8(ascii: "_") || x >= 0x80
    }

    /// The rest of a plain scalar's line: stops at `: `, ` #`, the line's end and, in a flow
    /// collection, at `,[]{}`. Leaves `i` after the last non-blank character it took.
    mutating func plainLine(flow: Bool) {
        let start = i
        var last = i
        while true {
            let x = b[i]
            if x <= Self.space {
                if x == Self.space || x == Self.tab {
                    i += 1
                    continue
                }
                if x == 0 || Self.isBreak(x) { break }
            } else if x == UInt8(ascii: ":") {
                let next = b[i + 1]
                if Self.isBlankOrEnd(next) || (flow && Self.isFlowIndicator(next)) { break }
            } else if x == UInt8(ascii: "#") {
                if i > start && Self.isBlank(b[i - 1]) { break }
            } else if flow && Self.isFlowIndicator(x) {
                break
            }
            i += 1
            last = i
        }
        i = last
    }

    /// A plain scalar; in a block it may go on over lines indented more than `n`, in a
    /// flow collection over any lines. Line breaks fold: one into a space, more into
    /// one newline fewer.
    mutating func plain(parent n: Int, flow: Bool) throws(YAMLError) -> String {
        let start = i
        plainLine(flow: flow)
        var folded: [UInt8]?
        while true {
            var j = i
            while Self.isBlank(b[j]) { j += 1 }
            guard Self.isBreak(b[j]) else { break }
            // Look past the break: empty lines, then the next line, which must continue the scalar.
            var breaks = 0
            var nextLineStart = j
            var k = j
            repeat {
                if b[k] == Self.carriageReturn && b[k + 1] == Self.lineFeed { k += 1 }
                k += 1
                breaks += 1
                nextLineStart = k
                while b[k] == Self.space { k += 1 }
                let indent = k - nextLineStart
                while Self.isBlank(b[k]) { k += 1 }
                if !Self.isBreak(b[k]) {
                    if !flow && indent <= n { return finish(start, folded) }
                    break
                }
            } while true
            let x = b[k]
            let atMarker = k - nextLineStart == 0 && k + 3 <= end
                && (b[k] == UInt8(ascii: "-") || b[k] == UInt8(ascii: ".")) && b[k + 1] == x && b[k + 2] == x && Self.isBlankOrEnd(b[k + 3])
            if x == 0 || x == UInt8(ascii: "#") || atMarker { break }
            if x == UInt8(ascii: ":") && (Self.isBlankOrEnd(b[k + 1]) || (flow && Self.isFlowIndicator(b[k + 1]))) { break }
            if flow && Self.isFlowIndicator(x) { break }
            // A more indented `key: value` cannot continue a scalar: leave it to be reported as misplaced.
            if !flow && Self.holdsKey(b, from: k) { break }
            if folded == nil { folded = Array(b[start..<i]) }
            if breaks == 1 {
                folded?.append(Self.space)
            } else {
                folded?.append(contentsOf: repeatElement(Self.lineFeed, count: breaks - 1))
            }
            i = k
            lineStart = nextLineStart
            let segment = i
            plainLine(flow: flow)
            folded?.append(contentsOf: b[segment..<i])
        }
        return finish(start, folded)
    }

    /// Whether the line from `start` has a `: ` before its end or a comment.
    static func holdsKey(_ b: UnsafeBufferPointer<UInt8>, from start: Int) -> Bool {
        var j = start
        while true {
            let x = b[j]
            if x == 0 || isBreak(x) { return false }
            if x == UInt8(ascii: ":") && isBlankOrEnd(b[j + 1]) { return true }
            if x == UInt8(ascii: "#") && j > start && isBlank(b[j - 1]) { return false }
            j += 1
        }
    }

    private func finish(_ start: Int, _ folded: [UInt8]?) -> String {
        if let folded { return String(decoding: folded, as: UTF8.self) }
        return String(decoding: b[start..<i], as: UTF8.self)
    }

    /// The length of `text` without its trailing blanks.
    static func keptLength(_ text: [UInt8]) -> Int {
        var length = text.count
        while length > 0 && isBlank(text[length - 1]) { length -= 1 }
        return length
    }

    /// At a line break inside a quoted scalar: consumes it, the empty lines after it and
    /// the next line's leading blanks, and appends what they fold into.
    /// Its lines must be indented more than `n`, the collection it belongs to.
    mutating func foldBreaks(into out: inout [UInt8], opening: Int, parent n: Int) throws(YAMLError) {
        var breaks = 0
        while true {
            consumeBreak()
            breaks += 1
            if atDocumentMarker { throw failure("this quoted string is not closed before the document marker", at: opening) }
            while b[i] == Self.space { i += 1 }
            let indent = column
            skipBlanks()
            if !Self.isBreak(b[i]) {
                if indent <= n && !atEnd { throw failure("the lines of a quoted string must be indented more than its key", at: lineStart + indent) }
                break
            }
        }
        if breaks == 1 {
            out.append(Self.space)
        } else {
            out.append(contentsOf: repeatElement(Self.lineFeed, count: breaks - 1))
        }
    }

    /// A `'single-quoted'` scalar (`''` is a quote) or a `"double-quoted"` one (every YAML
    /// escape; a backslash at the end of a line joins the next without a space). Line
    /// breaks fold; `n` as for `foldBreaks`.
    mutating func quoted(parent n: Int) throws(YAMLError) -> String {
        let opening = i
        let quote = b[i]
        let isDouble = quote == UInt8(ascii: "\"")
        i += 1
        let start = i
        while b[i] != quote && !(isDouble && b[i] == UInt8(ascii: "\\")) && b[i] != 0 && !Self.isBreak(b[i]) { i += 1 }
        if b[i] == quote && (isDouble || b[i + 1] != quote) {
            i += 1
            return String(decoding: b[start..<(i - 1)], as: UTF8.self)
        }
        var out = Array(b[start..<i])
        // Blanks before a line break are dropped, but not those an escape wrote.
        var kept = Self.keptLength(out)
        while true {
            let x = b[i]
            if x == quote {
                if !isDouble && b[i + 1] == quote {
                    out.append(x)
                    i += 2
                    kept = out.count
                    continue
                }
                i += 1
                return String(decoding: out, as: UTF8.self)
            }
            if x == 0 {
                throw failure(isDouble ? "this double-quoted string is not closed; add the closing \"" : "this single-quoted string is not closed; add the closing '", at: opening)
            }
            if isDouble && x == UInt8(ascii: "\\") {
                i += 1
                if Self.isBreak(b[i]) {
                    consumeBreak()
                    skipBlanks()
                } else {
                    try escape(into: &out)
                }
                kept = out.count
            } else if Self.isBreak(x) {
                out.removeLast(out.count - kept)
                try foldBreaks(into: &out, opening: opening, parent: n)
                kept = out.count
            } else {
                out.append(x)
                i += 1
                if !Self.isBlank(x) { kept = out.count }
            }
        }
    }

    /// The escape after a backslash (YAML 1.2 §5.7), appended as UTF-8.
    private mutating func escape(into out: inout [UInt8]) throws(YAMLError) {
        let at = i - 1
        let x = b[i]
        i += 1
        let simple: UInt8?
        switch x {
        case UInt8(ascii: "0"): simple = 0
        case UInt8(ascii: "a"): simple = 0x07
        case UInt8(ascii: "b"): simple = 0x08
        case UInt8(ascii: "t"), Self.tab: simple = 0x09
        case UInt8(ascii: "n"): simple = 0x0A
        case UInt8(ascii: "v"): simple = 0x0B
        case UInt8(ascii: "f"): simple = 0x0C
        case UInt8(ascii: "r"): simple = 0x0D
        case UInt8(ascii: "e"): simple = 0x1B
        case UInt8(ascii: " "), UInt8(ascii: "\""), UInt8(ascii: "/"), UInt8(ascii: "\\"): simple = x
        default: simple = nil
        }
        if let simple {
            out.append(simple)
            return
        }
        var code: UInt32
        switch x {
        case UInt8(ascii: "N"): code = 0x85
        case UInt8(ascii: "_"): code = 0xA0
        case UInt8(ascii: "L"): code = 0x2028
        case UInt8(ascii: "P"): code = 0x2029
        case UInt8(ascii: "x"): code = try hex(2, escapeAt: at)
        case UInt8(ascii: "u"):
            code = try hex(4, escapeAt: at)
            // JSON writes characters outside the BMP as surrogate pairs; accept them too.
            if (0xD800...0xDBFF).contains(code), b[i] == UInt8(ascii: "\\"), b[i + 1] == UInt8(ascii: "u") {
                i += 2
                let low = try hex(4, escapeAt: at)
                guard (0xDC00...0xDFFF).contains(low) else { throw failure("a \\u escape holds half of a surrogate pair", at: at) }
                code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
            }
        case UInt8(ascii: "U"): code = try hex(8, escapeAt: at)
        default:
            let shown = x == 0 || Self.isBreak(x) ? "" : String(decoding: [x], as: UTF8.self)
            throw failure("'\\\(shown)' is not a YAML escape; write '\\\\' for a backslash", at: at)
        }
        guard let scalar = Unicode.Scalar(code) else { throw failure("the escape is not a valid Unicode character", at: at) }
        out.append(contentsOf: String(Character(scalar)).utf8)
    }

    private mutating func hex(_ count: Int, escapeAt at: Int) throws(YAMLError) -> UInt32 {
        var value: UInt32 = 0
        for _ in 0..<count {
            let x = b[i]
            let digit: UInt8
            switch x {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = x - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = x - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = x - UInt8(ascii: "A") + 10
            default: throw failure("this escape needs \(count) hexadecimal digits", at: at)
            }
            value = value << 4 | UInt32(digit)
            i += 1
        }
        return value
    }
}
