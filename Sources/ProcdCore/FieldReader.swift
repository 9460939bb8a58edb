/// Typed access to an object's fields, with errors that name the field.
public struct FieldReader: Sendable {
    public let object: JSONObject

    public init(_ json: JSON) { object = json.objectValue ?? JSONObject() }

    private func value(_ key: String) -> JSON? {
        guard let v = object[key], v != .null else { return nil }
        return v
    }

    private func mismatch(_ key: String, _ expected: String, _ got: JSON) -> SpecError {
        SpecError(field: key, message: "expected \(expected), got \(got.typeName)")
    }

    public func string(_ key: String) throws(SpecError) -> String? {
        guard let v = value(key) else { return nil }
        guard let s = v.stringValue else { throw mismatch(key, "a string", v) }
        return s
    }

    public func bool(_ key: String) throws(SpecError) -> Bool? {
        guard let v = value(key) else { return nil }
        guard let b = v.boolValue else { throw mismatch(key, "true or false", v) }
        return b
    }

    public func int(_ key: String, in range: ClosedRange<Int>? = nil) throws(SpecError) -> Int? {
        guard let v = value(key) else { return nil }
        guard let n = v.intValue else { throw mismatch(key, "a whole number", v) }
        if let range, !range.contains(n) {
            throw SpecError(field: key, message: "\(n) is out of range (\(range.lowerBound) to \(range.upperBound))")
        }
        return n
    }

    public func milliseconds(_ key: String) throws(SpecError) -> Duration? {
        guard let n = try int(key, in: 0...Int(Int32.max)) else { return nil }
        return .milliseconds(Int64(n))
    }

    /// A size in bytes: a whole number, or a string such as "10M" (K, M, G).
    public func size(_ key: String) throws(SpecError) -> Int64? {
        guard let v = value(key) else { return nil }
        if let n = v.intValue, n >= 0 { return Int64(n) }
        if let text = v.stringValue, let n = Units.bytes(text) { return n }
        throw SpecError(field: key, message: "expected a size such as 10M or a number of bytes, got \(v.serialized())")
    }

    public func strings(_ key: String) throws(SpecError) -> [String]? {
        try array(key, "an array of strings", items: "an array of strings", \.stringValue)
    }

    public func ints(_ key: String) throws(SpecError) -> [Int]? {
        try array(key, "an array of numbers", items: "an array of whole numbers", \.intValue)
    }

    /// An array whose every item `element` reads; `expected` and `items` word the errors.
    private func array<T>(_ key: String, _ expected: String, items: String, _ element: (JSON) -> T?) throws(SpecError) -> [T]? {
        guard let v = value(key) else { return nil }
        guard let list = v.arrayValue else { throw mismatch(key, expected, v) }
        var out: [T] = []
        for item in list {
            guard let read = element(item) else { throw mismatch(key, items, item) }
            out.append(read)
        }
        return out
    }

    public func object(_ key: String) throws(SpecError) -> JSONObject? {
        guard let v = value(key) else { return nil }
        guard let o = v.objectValue else { throw mismatch(key, "an object", v) }
        return o
    }
}
