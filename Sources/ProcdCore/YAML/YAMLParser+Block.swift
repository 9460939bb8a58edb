/// Block structure: values after an indicator, block mappings and sequences, and the
/// nodes that can stand at the start of a line.
extension YAMLParser {
    /// The value after `key:`, `- ` or `---`, whose indicator ends just before the current
    /// position; `n` is the indentation of the collection it belongs to (-1: the document).
    mutating func value(parent n: Int, context: Context) throws(YAMLError) -> JSON {
        skipBlanks()
        if atLineEnd || b[i] == UInt8(ascii: "#") {
            try nextContent()
            if let child = try nodeOnNextLines(parent: n, context: context) { return child }
            try made()
            return .null
        }
        return try node(parent: n, inline: true, context: context)
    }

    /// The node that starts on the current (following) line when it belongs to the
    /// collection at `n`: indented more, or a sequence at a mapping key's indentation.
    mutating func nodeOnNextLines(parent n: Int, context: Context) throws(YAMLError) -> JSON? {
        guard !atEnd, !atDocumentMarker else { return nil }
        guard column > n || (column == n && context == .mappingValue && atSequenceEntry) else { return nil }
        return try node(parent: n, inline: false, context: context)
    }

    /// A node at the current position: on the line of its indicator (`inline`) or at the
    /// start of a line of its own.
    mutating func node(parent n: Int, inline: Bool, context: Context) throws(YAMLError) -> JSON {
        if inline && context == .sequenceEntry && separatedByTab() && (atSequenceEntry || looksLikeImplicitKey()) {
            throw failure("tab characters cannot indent YAML; use spaces")
        }
        if atSequenceEntry {
            if inline && context != .sequenceEntry {
                throw failure("a sequence cannot start on the line of its key; start it on the next line")
            }
            return try blockSequence(indent: column)
        }
        if (!inline || context == .sequenceEntry) && looksLikeImplicitKey() {
            return try blockMapping(indent: column)
        }
        if b[i] == UInt8(ascii: "?") && Self.isBlankOrEnd(b[i + 1]) {
            throw failure("explicit keys ('? key') are not supported; write 'key: value'")
        }
        let start = values
        var anchor: String?
        var tag: YAMLTag?
        if b[i] == UInt8(ascii: "&") || b[i] == UInt8(ascii: "!") { try properties(anchor: &anchor, tag: &tag, flow: false) }
        let value: JSON
        if (anchor != nil || tag != nil) && (atLineEnd || b[i] == UInt8(ascii: "#")) {
            try nextContent()
            if let child = try nodeOnNextLines(parent: n, context: context) {
                value = try tagged(child, tag: tag, plain: nil)
            } else {
                try made()
                value = try tagged(.null, tag: tag, plain: "")
            }
        } else {
            if anchor != nil && b[i] == UInt8(ascii: "*") { throw failure("an alias cannot have a tag or an anchor") }
            value = try scalarOrFlow(parent: n, tag: tag)
        }
        if anchor != nil { register(anchor, value, since: start) }
        return value
    }

    /// Whether the blanks just before the current position hold a tab: after `- `, they
    /// would indent a compact collection.
    func separatedByTab() -> Bool {
        var j = i - 1
        while j > lineStart && Self.isBlank(b[j]) {
            if b[j] == Self.tab { return true }
            j -= 1
        }
        return false
    }

    /// A node that is not a block collection: a block scalar, a flow collection, an
    /// alias, or a quoted or plain scalar; the line ends after it.
    mutating func scalarOrFlow(parent n: Int, tag: YAMLTag?) throws(YAMLError) -> JSON {
        let start = i
        switch b[i] {
        case UInt8(ascii: "|"), UInt8(ascii: ">"):
            let text = try blockScalar(parent: n)
            try made()
            try skipBlankLines()
            return try tagged(.string(text), tag: tag, plain: nil)
        case UInt8(ascii: "["), UInt8(ascii: "{"):
            let value = b[i] == UInt8(ascii: "[") ? try flowSequence() : try flowMapping()
            skipBlanks()
            if b[i] == UInt8(ascii: ":") { throw failure("a mapping key must be a scalar; procd does not read collections as keys", at: start) }
            try nextContent()
            return try tagged(value, tag: tag, plain: nil)
        case UInt8(ascii: "*"):
            if tag != nil { throw failure("an alias cannot have a tag or an anchor") }
            let value = try alias()
            try nextContent()
            return value
        case UInt8(ascii: "\""), UInt8(ascii: "'"):
            let text = try quoted(parent: n)
            try made()
            try nextContent()
            return try tagged(.string(text), tag: tag, plain: nil)
        default:
            try checkPlainStart(flow: false)
            let text = try plain(parent: n, flow: false)
            try made()
            try nextContent()
            if tag == nil { return YAMLSchema.resolve(text) }
            return try tagged(YAMLSchema.resolve(text), tag: tag, plain: text)
        }
    }

    /// The entries of a block mapping whose keys stand at column `k`.
    mutating func blockMapping(indent k: Int) throws(YAMLError) -> JSON {
        try enter()
        defer { depth -= 1 }
        var mapping = YAMLMapping()
        while true {
            let keyStart = i
            let key = try blockKey()
            skipBlanks()
            guard b[i] == UInt8(ascii: ":") else {
                throw failure(atLineEnd
                    ? "expected ':' after '\(key.text)': each line of a mapping is 'key: value'"
                    : "expected ':' after the key '\(key.text)'")
            }
            i += 1
            let value = try self.value(parent: k, context: .mappingValue)
            try add(key, value, to: &mapping, at: keyStart)
            if atEnd || atDocumentMarker || column < k { break }
            if column > k {
                throw failure("this line is indented more than the keys of its mapping (column \(k + 1)); align it with them or indent it under a key that has no value")
            }
            if atSequenceEntry {
                throw failure("a '- ' entry cannot stand among the keys of a mapping; indent it under the key it belongs to")
            }
        }
        try made()
        return .object(mapping.object)
    }

    /// The entries of a block sequence whose `-` stand at column `k`.
    mutating func blockSequence(indent k: Int) throws(YAMLError) -> JSON {
        try enter()
        defer { depth -= 1 }
        var items: [JSON] = []
        while true {
            i += 1
            items.append(try value(parent: k, context: .sequenceEntry))
            if atEnd || atDocumentMarker || column < k { break }
            if column > k {
                throw failure("this line is indented more than the '- ' entries of its sequence (column \(k + 1)); align it with them")
            }
            // At the same column and not '- ': the next key of the mapping this sequence is the value of.
            if !atSequenceEntry { break }
        }
        try made()
        return .array(items)
    }
}

/// A mapping being built: keys in order, duplicates refused, merge keys (`<<`) applied.
struct YAMLMapping {
    var object = JSONObject()
    /// Keys that came from a merge: an explicit key may replace them once.
    var merged: Set<String> = []
}

extension YAMLParser {
    /// Adds one entry; `<<` merges the entries of a mapping, or of each mapping of a
    /// list, that the mapping does not set itself (earlier ones win).
    mutating func add(_ key: (text: String, isMerge: Bool), _ value: JSON, to mapping: inout YAMLMapping, at keyStart: Int) throws(YAMLError) {
        if key.text.utf8.count > 1024 { throw failure("a key is longer than 1024 bytes", at: keyStart) }
        if key.isMerge {
            let sources: [JSON] = value.arrayValue ?? [value]
            for source in sources {
                guard let object = source.objectValue else {
                    throw failure("a merge key '<<' takes a mapping or a list of mappings (usually aliases), not \(source.typeName)", at: keyStart)
                }
                for (name, item) in object.entries where mapping.object.insertNew(name, item) {
                    mapping.merged.insert(name)
                }
            }
            return
        }
        if mapping.object.insertNew(key.text, value) { return }
        if mapping.merged.remove(key.text) != nil {
            mapping.object[key.text] = value
            return
        }
        throw failure("the key '\(key.text)' appears twice in this mapping; each key may appear once", at: keyStart)
    }
}
