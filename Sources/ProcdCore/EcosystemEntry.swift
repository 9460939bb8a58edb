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

    /// YAML 1.1's boolean words.
    static func booleanWord(_ text: String) -> Bool? {
        switch text.lowercased() {
        case "yes", "on", "y": true
        case "no", "off", "n": false
        default: nil
        }
    }

    /// Attributes read with `bool`.
    static let booleanAttributes = AppAttributes.all.filter { $0.type == .boolean }.flatMap { [$0.key] + $0.aliases }

    /// A warning for each boolean attribute written as a YAML 1.1 word.
    func booleanWordWarnings() -> [String] {
        guard acceptsBooleanWords else { return [] }
        return Self.booleanAttributes.compactMap { key in
            guard let word = object[key]?.stringValue, let meaning = Self.booleanWord(word) else { return nil }
            return "\(file): app \(label): '\(key)': \(word) is a string in YAML 1.2, read as \(meaning); write \(meaning)"
        }
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
