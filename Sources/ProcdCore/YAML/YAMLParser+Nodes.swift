/// A node's tag as written (`!!str`, `!custom`), and where, for messages.
struct YAMLTag {
    var text: String
    var offset: Int
}

/// Node properties (anchors and tags), aliases and mapping keys.
extension YAMLParser {
    /// Reads `&anchor` and `!tag` in any order, each followed by a blank (or, in a flow
    /// collection, by an indicator), and the blanks after them.
    mutating func properties(anchor: inout String?, tag: inout YAMLTag?, flow: Bool) throws(YAMLError) {
        while true {
            let start = i
            if b[i] == UInt8(ascii: "&") {
                if anchor != nil { throw failure("a node can have one anchor") }
                i += 1
                let name = anchorName()
                if name.isEmpty { throw failure("an anchor needs a name after '&'", at: start) }
                anchor = name
            } else if b[i] == UInt8(ascii: "!") {
                if tag != nil { throw failure("a node can have one tag") }
                if b[i + 1] == UInt8(ascii: "<") {
                    while !Self.isBlankOrEnd(b[i]) && b[i] != UInt8(ascii: ">") { i += 1 }
                    guard b[i] == UInt8(ascii: ">") else { throw failure("a verbatim tag '!<…>' is not closed", at: start) }
                    i += 1
                } else {
                    while !Self.isBlankOrEnd(b[i]) && !(flow && Self.isFlowIndicator(b[i])) { i += 1 }
                }
                tag = YAMLTag(text: String(decoding: b[start..<i], as: UTF8.self), offset: start)
                if tag?.text.utf8.contains(where: Self.isFlowIndicator) == true && b[start + 1] != UInt8(ascii: "<") {
                    throw failure("a tag cannot contain ',', '[', ']', '{' or '}'", at: start)
                }
            } else {
                return
            }
            guard Self.isBlankOrEnd(b[i]) || (flow && Self.isFlowIndicator(b[i])) else {
                throw failure("expected a space after '\(String(decoding: b[start..<i], as: UTF8.self))'")
            }
            skipBlanks()
        }
    }

    /// The characters of an anchor or alias name: anything up to a blank or a flow indicator.
    mutating func anchorName() -> String {
        let start = i
        while !Self.isBlankOrEnd(b[i]) && !Self.isFlowIndicator(b[i]) { i += 1 }
        return String(decoding: b[start..<i], as: UTF8.self)
    }

    /// `*name`: the anchored value again, counted at its full size against the limit.
    mutating func alias() throws(YAMLError) -> JSON {
        let start = i
        i += 1
        let name = anchorName()
        if name.isEmpty { throw failure("an alias needs a name after '*'", at: start) }
        guard let anchored = anchors[name] else {
            throw failure("the alias '*\(name)' has no anchor before it; define '&\(name)' on an earlier value", at: start)
        }
        i = start
        try made(anchored.size)
        i += 1 + name.utf8.count
        return anchored.value
    }

    /// `value` as `tag` asks: the core schema's tags convert or check it; others are noted
    /// and ignored. `plain` is the source text of a plain scalar, nil for other styles.
    mutating func tagged(_ value: JSON, tag: YAMLTag?, plain: String?) throws(YAMLError) -> JSON {
        guard let tag else { return value }
        let at = tag.offset
        let name = YAMLSchema.coreTagName(tag.text)
        switch name {
        case "!":
            return plain.map { .string($0) } ?? value
        case "str":
            if let plain { return .string(plain) }
            if let text = Self.scalarText(value) { return .string(text) }
        case "int", "float", "bool", "null":
            let text = plain ?? value.stringValue ?? Self.scalarText(value) ?? ""
            if let resolved = YAMLSchema.resolve(text, as: name) { return resolved }
            throw failure("'\(text)' is not a valid \(name) (tagged \(tag.text))", at: at)
        case "map":
            if value.objectValue != nil { return value }
        case "seq":
            if value.arrayValue != nil { return value }
        default:
            warn("the tag \(tag.text) is not supported; the value is read as if it had none", at: at)
            return value
        }
        throw failure("the value is \(value.typeName), not what its tag \(tag.text) says", at: at)
    }

    /// A scalar as mapping keys and `!!str` turn it into text.
    static func scalarText(_ value: JSON) -> String? {
        switch value {
        case .null: "null"
        case .bool(let flag): flag ? "true" : "false"
        case .number(let n): n.isNaN ? ".nan" : n.isInfinite ? (n < 0 ? "-.inf" : ".inf") : JSON.format(number: n)
        case .string(let text): text
        case .array, .object: nil
        }
    }

    /// A key of a block mapping: text, with whether it is the merge key `<<`.
    mutating func blockKey() throws(YAMLError) -> (text: String, isMerge: Bool) {
        let start = values
        var anchor: String?
        var tag: YAMLTag?
        if b[i] == UInt8(ascii: "&") || b[i] == UInt8(ascii: "!") { try properties(anchor: &anchor, tag: &tag, flow: false) }
        let keyStart = i
        let line = lineStart
        let text: String
        var isMerge = false
        switch b[i] {
        case UInt8(ascii: "*"):
            if anchor != nil || tag != nil { throw failure("an alias cannot have a tag or an anchor") }
            guard let scalar = Self.scalarText(try alias()) else { throw failure("a mapping key must be a scalar, and this alias is a collection", at: keyStart) }
            text = scalar
        case UInt8(ascii: "\""), UInt8(ascii: "'"):
            text = try quoted(parent: -1)
            if lineStart != line { throw failure("a key must fit on one line", at: keyStart) }
        case UInt8(ascii: "["), UInt8(ascii: "{"):
            throw failure("a mapping key must be a scalar; procd does not read collections as keys")
        case UInt8(ascii: "?") where Self.isBlankOrEnd(b[i + 1]):
            throw failure("explicit keys ('? key') are not supported; write 'key: value'")
        default:
            try checkPlainStart(flow: false)
            // An implicit key is one line.
            let start = i
            plainLine(flow: false)
            text = String(decoding: b[start..<i], as: UTF8.self)
            isMerge = b[start] == UInt8(ascii: "<") && text == "<<" && tag == nil
        }
        try made()
        register(anchor, .string(text), since: start)
        return (text, isMerge)
    }

    /// Whether the current line starts with `key:` (properties, then a one-line scalar
    /// or an alias, then `:`), which makes it the first entry of a block mapping.
    func looksLikeImplicitKey() -> Bool {
        var j = i
        while b[j] == UInt8(ascii: "&") || b[j] == UInt8(ascii: "!") {
            while !Self.isBlankOrEnd(b[j]) { j += 1 }
            while Self.isBlank(b[j]) { j += 1 }
        }
        let first = b[j]
        switch first {
        case UInt8(ascii: "\""), UInt8(ascii: "'"):
            j += 1
            while true {
                let x = b[j]
                if x == 0 || Self.isBreak(x) { return false }
                if first == UInt8(ascii: "\"") && x == UInt8(ascii: "\\") {
                    if b[j + 1] == 0 || Self.isBreak(b[j + 1]) { return false }
                    j += 2
                    continue
                }
                if x == first {
                    if first == UInt8(ascii: "'") && b[j + 1] == first {
                        j += 2
                        continue
                    }
                    j += 1
                    break
                }
                j += 1
            }
            while Self.isBlank(b[j]) { j += 1 }
            return b[j] == UInt8(ascii: ":")
        case UInt8(ascii: "*"):
            while !Self.isBlankOrEnd(b[j]) && !Self.isFlowIndicator(b[j]) { j += 1 }
            while Self.isBlank(b[j]) { j += 1 }
            return b[j] == UInt8(ascii: ":") && Self.isBlankOrEnd(b[j + 1])
        case UInt8(ascii: "["), UInt8(ascii: "{"), UInt8(ascii: "|"), UInt8(ascii: ">"), UInt8(ascii: "#"), 0:
            return false
        default:
            return Self.holdsKey(b, from: j)
        }
    }
}
