/// Writes `JSON` as block-style YAML that any YAML 1.1 or 1.2 reader gives back as the
/// same value: text that could read as something else (`yes`, `1.0`, `~`, `- x`, a
/// leading space) is double-quoted.
extension JSON {
    public func yamlText() -> String {
        var out = ""
        switch self {
        case .object(let object) where object.count > 0:
            YAMLWriter.writeEntries(object, indent: 0, to: &out)
        case .array(let items) where !items.isEmpty:
            YAMLWriter.writeItems(items, indent: 0, to: &out)
        default:
            out = YAMLWriter.scalar(self) + "\n"
        }
        return out
    }
}

enum YAMLWriter {
    /// `key: value` lines at `indent`; the first line's indentation is already written
    /// when `continuing` (an entry of a sequence).
    static func writeEntries(_ object: JSONObject, indent: Int, continuing: Bool = false, to out: inout String) {
        for (index, entry) in object.entries.enumerated() {
            if index > 0 || !continuing { out += String(repeating: " ", count: indent) }
            out += string(entry.key) + ":"
            writeValue(entry.value, indent: indent + 2, to: &out)
        }
    }

    /// `- item` lines at `indent`.
    static func writeItems(_ items: [JSON], indent: Int, continuing: Bool = false, to out: inout String) {
        for (index, item) in items.enumerated() {
            if index > 0 || !continuing { out += String(repeating: " ", count: indent) }
            out += "-"
            switch item {
            case .object(let object) where object.count > 0:
                out += " "
                writeEntries(object, indent: indent + 2, continuing: true, to: &out)
            case .array(let nested) where !nested.isEmpty:
                out += " "
                writeItems(nested, indent: indent + 2, continuing: true, to: &out)
            default:
                out += " " + scalar(item) + "\n"
            }
        }
    }

    /// A mapping's value after its `key:`: a scalar on the line, a collection below it.
    private static func writeValue(_ value: JSON, indent: Int, to out: inout String) {
        switch value {
        case .object(let object) where object.count > 0:
            out += "\n"
            writeEntries(object, indent: indent, to: &out)
        case .array(let items) where !items.isEmpty:
            out += "\n"
            writeItems(items, indent: indent, to: &out)
        default:
            out += " " + scalar(value) + "\n"
        }
    }

    static func scalar(_ value: JSON) -> String {
        switch value {
        case .null: "null"
        case .bool(let flag): flag ? "true" : "false"
        case .number(let n): n.isNaN ? ".nan" : n.isInfinite ? (n < 0 ? "-.inf" : ".inf") : JSON.format(number: n)
        case .string(let text): string(text)
        case .array: "[]"
        case .object: "{}"
        }
    }

    /// The text plain when that is safe, else double-quoted.
    static func string(_ text: String) -> String {
        isPlainSafe(text) ? text : quoted(text)
    }

    /// Words YAML 1.1 readers (PyYAML, js-yaml 3) take as booleans or null.
    private static let otherSchemaWords: Set<String> = [
        "y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No", "NO", "on", "On", "ON", "off", "Off", "OFF",
    ]

    static func isPlainSafe(_ text: String) -> Bool {
        guard let first = text.unicodeScalars.first, let last = text.unicodeScalars.last else { return false }
        // "---" and "..." at the start of a top-level line would end the document; a plain << key merges.
        if first == " " || last == " " || last == ":" || text.hasPrefix("---") || text.hasPrefix("...") || text == "<<" { return false }
        if "-?:,[]{}#&*!|>'\"%@`".unicodeScalars.contains(first) {
            // `-x`, `./a`-like starts are plain; a lone indicator or one before a space is not.
            guard first == "-" || first == "?" || first == ":" else { return false }
            let scalars = Array(text.unicodeScalars.prefix(2))
            if scalars.count < 2 || scalars[1] == " " { return false }
        }
        if YAMLSchema.resolve(text) != .string(text) || otherSchemaWords.contains(text) { return false }
        // Numbers in the forms other readers know (1_000, 0b1, 1:30, 0777) start with a digit, a sign or a point.
        if let digit = text.unicodeScalars.first(where: { $0 != "+" && $0 != "-" && $0 != "." }), ("0"..."9").contains(digit),
           text.unicodeScalars.allSatisfy({ "0123456789_:.+-eExXoObBaAcCdDfF".unicodeScalars.contains($0) }) {
            return false
        }
        var previous: Unicode.Scalar = " "
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0..<0x20, 0x7F, 0x80..<0xA0, 0x2028, 0x2029, 0xFEFF: return false
            default: break
            }
            if scalar == "#" && previous == " " { return false }
            if previous == ":" && scalar == " " { return false }
            previous = scalar
        }
        return true
    }

    static func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            case "\u{85}": out += "\\N"
            case "\u{2028}": out += "\\L"
            case "\u{2029}": out += "\\P"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F || (0x80..<0xA0).contains(scalar.value) || scalar.value == 0xFEFF {
                    let hex = String(scalar.value, radix: 16, uppercase: true)
                    out += scalar.value <= 0xFF ? "\\x" + String(repeating: "0", count: 2 - hex.count) + hex : "\\u" + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}
