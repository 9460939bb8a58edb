/// The YAML 1.2 core schema: what a plain scalar means (null, booleans, integers in
/// decimal, `0o` octal and `0x` hex, floats, `.inf`, `.nan`; anything else is a string),
/// and the standard tags that ask for one of those.
///
/// YAML 1.1's `yes`, `no`, `on` and `off` are strings here, as in YAML 1.2 parsers;
/// `Ecosystem` warns where an attribute that wants a boolean gets one of them.
enum YAMLSchema {
    /// The value of a plain scalar.
    static func resolve(_ text: String) -> JSON {
        guard let first = text.utf8.first else { return .null }
        // Most values start with a character no null, boolean or number starts with.
        switch first | 0x20 {
        case UInt8(ascii: "n"), UInt8(ascii: "t"), UInt8(ascii: "f"), UInt8(ascii: "~"), UInt8(ascii: "0")...UInt8(ascii: "9"),
             UInt8(ascii: "-") | 0x20, UInt8(ascii: "+") | 0x20, UInt8(ascii: "."):
            break
        default:
            return .string(text)
        }
        var copy = text
        return copy.withUTF8 { bytes -> JSON in
            // "./path", "--flag": a point or sign before anything but a digit, a point or a letter of inf/nan.
            if bytes.count > 1 && (first == UInt8(ascii: ".") || first == UInt8(ascii: "-") || first == UInt8(ascii: "+")) {
                let second = bytes[1] | 0x20
                if !(second >= UInt8(ascii: "0") && second <= UInt8(ascii: "9")) && second != UInt8(ascii: ".") && second != UInt8(ascii: "i") && second != UInt8(ascii: "n") {
                    return .string(text)
                }
            }
            switch first {
            case UInt8(ascii: "n"), UInt8(ascii: "N"), UInt8(ascii: "~"):
                return isNull(text) ? .null : .string(text)
            case UInt8(ascii: "t"), UInt8(ascii: "T"), UInt8(ascii: "f"), UInt8(ascii: "F"):
                return bool(text).map(JSON.bool) ?? .string(text)
            case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "+"), UInt8(ascii: "."):
                return number(bytes).map(JSON.number) ?? .string(text)
            default:
                return .string(text)
            }
        }
    }

    static func isNull(_ text: String) -> Bool {
        text.isEmpty || text == "~" || text == "null" || text == "Null" || text == "NULL"
    }

    static func bool(_ text: String) -> Bool? {
        switch text {
        case "true", "True", "TRUE": true
        case "false", "False", "FALSE": false
        default: nil
        }
    }

    /// An integer or float of the core schema, or nil when the text is not one.
    static func number(_ bytes: UnsafeBufferPointer<UInt8>) -> Double? {
        var digits = bytes[...]
        var negative = false
        if let sign = digits.first, sign == UInt8(ascii: "-") || sign == UInt8(ascii: "+") {
            negative = sign == UInt8(ascii: "-")
            digits = digits.dropFirst()
        }
        if digits.count == 4 && digits.first == UInt8(ascii: ".") {
            switch String(decoding: digits, as: UTF8.self) {
            case ".inf", ".Inf", ".INF": return negative ? -.infinity : .infinity
            case ".nan", ".NaN", ".NAN": return digits.count == bytes.count ? .nan : nil
            default: return nil
            }
        }
        if digits.count == bytes.count && digits.count > 2 && digits[digits.startIndex] == UInt8(ascii: "0") {
            let marker = digits[digits.startIndex + 1]
            let radix = marker == UInt8(ascii: "x") ? 16 : marker == UInt8(ascii: "o") ? 8 : 0
            if radix != 0 {
                return UInt64(String(decoding: digits.dropFirst(2), as: UTF8.self), radix: radix).map { Double($0) }
            }
        }
        // [-+]? ( \. [0-9]+ | [0-9]+ ( \. [0-9]* )? ) ( [eE] [-+]? [0-9]+ )?
        var index = digits.startIndex
        func run() -> Int {
            let from = index
            while index < digits.endIndex, digits[index] >= UInt8(ascii: "0"), digits[index] <= UInt8(ascii: "9") { index += 1 }
            return index - from
        }
        let whole = run()
        var fraction = 0
        var hasPoint = false
        if index < digits.endIndex, digits[index] == UInt8(ascii: ".") {
            hasPoint = true
            index += 1
            fraction = run()
        }
        if whole == 0 && fraction == 0 { return nil }
        if index < digits.endIndex, digits[index] == UInt8(ascii: "e") || digits[index] == UInt8(ascii: "E") {
            index += 1
            if index < digits.endIndex, digits[index] == UInt8(ascii: "-") || digits[index] == UInt8(ascii: "+") { index += 1 }
            if run() == 0 { return nil }
        }
        guard index == digits.endIndex else { return nil }
        // Swift's Double(String) wants a digit after the point ("1." and "1.e3" are YAML floats).
        let text = String(decoding: bytes, as: UTF8.self)
        return Double(hasPoint && fraction == 0 ? text.replacingFirstPoint() : text)
    }

    /// `int` for `!!int` and `!<tag:yaml.org,2002:int>`; other tags as written.
    static func coreTagName(_ tag: String) -> String {
        if tag.hasPrefix("!!") { return String(tag.dropFirst(2)) }
        if tag.hasPrefix("!<tag:yaml.org,2002:") && tag.hasSuffix(">") { return String(tag.dropFirst(20).dropLast()) }
        return tag
    }

    /// The text as the core tag `name` (`int`, `float`, `bool`, `null`) reads it.
    static func resolve(_ text: String, as name: String) -> JSON? {
        switch name {
        case "null": return isNull(text) ? .null : nil
        case "bool": return bool(text).map(JSON.bool)
        default:
            let value = resolve(text)
            guard case .number(let n) = value else { return nil }
            if name == "int" && (n.rounded() != n || text.contains(".") || !n.isFinite) { return nil }
            return value
        }
    }
}

extension String {
    /// "1." → "1.0", "1.e3" → "1.0e3".
    fileprivate func replacingFirstPoint() -> String {
        guard let point = firstIndex(of: ".") else { return self }
        return self[..<point] + ".0" + self[index(after: point)...]
    }
}
