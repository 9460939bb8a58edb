/// Flow collections: `[a, b]` and `{a: 1, b}`, which may span lines and nest.
extension YAMLParser {
    /// Blanks, line breaks and comments between the tokens of a flow collection.
    mutating func skipFlowSpace(opening: Int) throws(YAMLError) {
        while true {
            let x = b[i]
            if Self.isBlank(x) {
                i += 1
            } else if Self.isBreak(x) {
                consumeBreak()
                if atDocumentMarker { throw failure("this flow collection is not closed before the document marker", at: opening) }
            } else if x == UInt8(ascii: "#") && (i == lineStart || Self.isBlank(b[i - 1])) {
                skipToLineEnd()
            } else {
                return
            }
        }
    }

    /// `[ … ]`; an entry `key: value` is a mapping of one pair.
    mutating func flowSequence() throws(YAMLError) -> JSON {
        let opening = i
        try enter()
        defer { depth -= 1 }
        i += 1
        var items: [JSON] = []
        while true {
            try skipFlowSpace(opening: opening)
            if b[i] == UInt8(ascii: "]") { break }
            let entryStart = i
            let entry = try flowNode(opening: opening)
            let entryLine = lineStart
            try skipFlowSpace(opening: opening)
            if b[i] == UInt8(ascii: ":") {
                guard let key = entry.key else { throw failure("a mapping key must be a scalar", at: entryStart) }
                if lineStart != entryLine { throw failure("a key and its ':' must be on one line") }
                i += 1
                var pair = YAMLMapping()
                try add((key, entry.isPlain && key == "<<"), try flowValue(opening: opening, closing: UInt8(ascii: "]")), to: &pair, at: entryStart)
                try made()
                items.append(.object(pair.object))
            } else {
                items.append(entry.value)
            }
            if try !another(opening: opening, closing: UInt8(ascii: "]")) { break }
        }
        i += 1
        try made()
        return .array(items)
    }

    /// `{ … }`; a key without `:` has a null value.
    mutating func flowMapping() throws(YAMLError) -> JSON {
        let opening = i
        try enter()
        defer { depth -= 1 }
        i += 1
        var mapping = YAMLMapping()
        while true {
            try skipFlowSpace(opening: opening)
            if b[i] == UInt8(ascii: "}") { break }
            if b[i] == UInt8(ascii: "?") && (Self.isBlankOrEnd(b[i + 1])) {
                i += 1
                try skipFlowSpace(opening: opening)
            }
            let keyStart = i
            let key = try flowNode(opening: opening)
            guard let text = key.key else { throw failure("a mapping key must be a scalar; procd does not read collections as keys", at: keyStart) }
            try skipFlowSpace(opening: opening)
            var value = JSON.null
            if b[i] == UInt8(ascii: ":") {
                i += 1
                value = try flowValue(opening: opening, closing: UInt8(ascii: "}"))
            } else {
                try made()
            }
            try add((text, key.isPlain && text == "<<"), value, to: &mapping, at: keyStart)
            if try !another(opening: opening, closing: UInt8(ascii: "}")) { break }
        }
        i += 1
        try made()
        return .object(mapping.object)
    }

    /// After an entry: true past a `,`, false at the closing bracket (left for the caller).
    private mutating func another(opening: Int, closing: UInt8) throws(YAMLError) -> Bool {
        try skipFlowSpace(opening: opening)
        if b[i] == UInt8(ascii: ",") {
            i += 1
            return true
        }
        if b[i] == closing { return false }
        let open = String(decoding: [b[opening]], as: UTF8.self)
        let close = String(decoding: [closing], as: UTF8.self)
        if atEnd { throw failure("this '\(open)' is not closed; add the '\(close)'", at: opening) }
        throw failure("expected ',' or '\(close)' in this flow \(closing == UInt8(ascii: "]") ? "sequence" : "mapping")")
    }

    /// The value after a `:` in a flow collection; nothing before `,` or the closing bracket is null.
    private mutating func flowValue(opening: Int, closing: UInt8) throws(YAMLError) -> JSON {
        try skipFlowSpace(opening: opening)
        if b[i] == UInt8(ascii: ",") || b[i] == closing {
            try made()
            return .null
        }
        return try flowNode(opening: opening).value
    }

    /// A node inside a flow collection, with its text when it is a scalar (to serve as a
    /// key) and whether it was plain (only a plain `<<` merges).
    mutating func flowNode(opening: Int) throws(YAMLError) -> (value: JSON, key: String?, isPlain: Bool) {
        if atEnd { throw failure("this flow collection is not closed", at: opening) }
        let start = values
        var anchor: String?
        var tag: YAMLTag?
        if b[i] == UInt8(ascii: "&") || b[i] == UInt8(ascii: "!") { try properties(anchor: &anchor, tag: &tag, flow: true) }
        try skipFlowSpace(opening: opening)
        var result: (value: JSON, key: String?, isPlain: Bool)
        let x = b[i]
        let isEmptyNode = (anchor != nil || tag != nil)
            && (x == UInt8(ascii: ",") || x == UInt8(ascii: "]") || x == UInt8(ascii: "}") || x == UInt8(ascii: ":"))
        switch isEmptyNode ? 0 : x {
        case 0:
            try made()
            result = (try tagged(.null, tag: tag, plain: ""), "", true)
        case UInt8(ascii: "["):
            result = (try tagged(try flowSequence(), tag: tag, plain: nil), nil, false)
        case UInt8(ascii: "{"):
            result = (try tagged(try flowMapping(), tag: tag, plain: nil), nil, false)
        case UInt8(ascii: "*"):
            let value = try alias()
            result = (value, Self.scalarText(value), false)
        case UInt8(ascii: "\""), UInt8(ascii: "'"):
            let text = try quoted(parent: -1)
            try made()
            result = (try tagged(.string(text), tag: tag, plain: nil), text, false)
        default:
            try checkPlainStart(flow: true)
            let text = try plain(parent: -1, flow: true)
            try made()
            result = (try tagged(YAMLSchema.resolve(text), tag: tag, plain: text), text, true)
        }
        register(anchor, result.value, since: start)
        return result
    }
}
