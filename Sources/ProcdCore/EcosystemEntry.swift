/// One app object of an ecosystem file, read one attribute at a time. A missing or null
/// attribute reads as nil; a value of the wrong kind is a `ConfigError` naming the file,
/// the app and the attribute.
struct EcosystemEntry {
    let object: JSONObject
    let file: String
    /// The app as errors and warnings name it: `'api' (#2)`, or `#2` before it has a name.
    let label: String
    /// YAML files: `yes`, `no`, `on` and `off` are strings in YAML 1.2, but files written
    /// for YAML 1.1 readers mean booleans by them; they are read so, with a warning.
    var acceptsBooleanWords = false

    func fail(_ field: String, _ message: String) -> ConfigError {
        ConfigError(file: file, app: label, field: field, message: message)
    }

    /// The attribute's value unless it is missing or null.
    func present(_ key: String) -> JSON? {
        guard let value = object[key], value != .null else { return nil }
        return value
    }

    func string(_ key: String) throws(ConfigError) -> String? {
        guard let value = present(key) else { return nil }
        guard let text = Ecosystem.scalarText(value) else { throw fail(key, "expected a string, got \(value.typeName)") }
        return text
    }

    /// An array of strings, or one string split as a shell would.
    func words(_ key: String) throws(ConfigError) -> [String]? {
        guard let value = present(key) else { return nil }
        if let items = value.arrayValue {
            var out: [String] = []
            for item in items {
                guard let text = Ecosystem.scalarText(item) else { throw fail(key, "expected strings in the array, got \(item.typeName)") }
                out.append(text)
            }
            return out
        }
        guard let text = value.stringValue else { throw fail(key, "expected a string or an array of strings, got \(value.typeName)") }
        do {
            return try ShellWords.split(text)
        } catch {
            throw fail(key, "unterminated quote in '\(text)'")
        }
    }

    func bool(_ key: String) throws(ConfigError) -> Bool? {
        guard let value = present(key) else { return nil }
        if let b = value.boolValue { return b }
        if value.stringValue == "true" { return true }
        if value.stringValue == "false" { return false }
        if acceptsBooleanWords, let word = value.stringValue, let meaning = Self.booleanWord(word) { return meaning }
        throw fail(key, "expected true or false, got \(value.serialized())")
    }

    /// YAML 1.1's boolean words.
    static func booleanWord(_ text: String) -> Bool? {
        switch text.lowercased() {
        case "yes", "on", "y": true
        case "no", "off", "n": false
        default: nil
        }
    }

    /// Attributes read with `bool`.
    static let booleanAttributes = ["autorestart", "wait_ready", "time", "merge_logs", "combine_logs"]

    /// A warning for each boolean attribute written as a YAML 1.1 word.
    func booleanWordWarnings() -> [String] {
        guard acceptsBooleanWords else { return [] }
        return Self.booleanAttributes.compactMap { key in
            guard let word = object[key]?.stringValue, let meaning = Self.booleanWord(word) else { return nil }
            return "\(file): app \(label): '\(key)': \(word) is a string in YAML 1.2, read as \(meaning); write \(meaning)"
        }
    }

    func integer(_ key: String, _ range: ClosedRange<Int>) throws(ConfigError) -> Int? {
        guard let value = present(key) else { return nil }
        guard let n = value.intValue ?? value.stringValue.flatMap({ Int($0.trimmingSpaces()) }) else {
            throw fail(key, "expected a whole number, got \(value.serialized())")
        }
        guard range.contains(n) else { throw fail(key, "\(n) is out of range (\(range.lowerBound) to \(range.upperBound))") }
        return n
    }

    func duration(_ key: String) throws(ConfigError) -> Duration? {
        guard let value = present(key) else { return nil }
        if let n = value.intValue, n >= 0 { return .milliseconds(Int64(n)) }
        if let text = value.stringValue, let d = Units.duration(text) { return d }
        throw fail(key, "expected milliseconds or a duration such as \"30s\", got \(value.serialized())")
    }

    /// Bytes, as a number or as text such as `10M`; `example` shows the form in the error.
    func size(_ key: String, example: String, atLeast minimum: Int64 = .min) throws(ConfigError) -> Int64? {
        guard let value = present(key) else { return nil }
        guard let size = value.intValue.map(Int64.init) ?? value.stringValue.flatMap(Units.bytes), size >= minimum else {
            throw fail(key, "expected a size such as \"\(example)\", got \(value.serialized())")
        }
        return size
    }

    /// An object of variables; numbers and booleans become text, as in pm2.
    func environment(_ key: String) throws(ConfigError) -> [String: String] {
        guard let value = present(key) else { return [:] }
        guard let env = value.objectValue else { throw fail(key, "expected an object of variables, got \(value.typeName)") }
        var out: [String: String] = [:]
        for (name, item) in env.entries {
            guard let text = Ecosystem.scalarText(item) else { throw fail("\(key).\(name)", "expected a string, number or boolean, got \(item.typeName)") }
            out[name] = text
        }
        return out
    }
}
