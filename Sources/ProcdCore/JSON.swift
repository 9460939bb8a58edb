/// A JSON value: the one data model for the wire protocol, state files and config files.
///
/// Objects keep their keys in insertion order so that output is stable and readable.
public enum JSON: Equatable, Sendable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSON])
    case object(JSONObject)

    public static func int(_ value: Int) -> JSON { .number(Double(value)) }
}

/// An insertion-ordered JSON object.
///
/// Small objects (the common case: a request, a process) are a plain array searched
/// linearly; past `indexThreshold` keys a dictionary index keeps lookups constant-time,
/// so hostile input with many keys cannot make parsing quadratic.
public struct JSONObject: Equatable, Sendable, ExpressibleByDictionaryLiteral {
    private var pairs: [(key: String, value: JSON)] = []
    private var index: [String: Int]?

    static let indexThreshold = 32

    public init() {}

    /// Literal keys are written by us and unique, so they are appended without a search.
    public init(dictionaryLiteral elements: (String, JSON)...) {
        pairs = elements.map { (key: $0.0, value: $0.1) }
        if pairs.count > Self.indexThreshold { rebuildIndex() }
    }

    private func position(of key: String) -> Int? {
        if let index { return index[key] }
        return pairs.firstIndex { $0.key == key }
    }

    public subscript(key: String) -> JSON? {
        get { position(of: key).map { pairs[$0].value } }
        set {
            if let position = position(of: key) {
                if let newValue {
                    pairs[position].value = newValue
                } else {
                    pairs.remove(at: position)
                    index = nil
                    if pairs.count > Self.indexThreshold { rebuildIndex() }
                }
            } else if let newValue {
                pairs.append((key, newValue))
                if index != nil {
                    index?[key] = pairs.count - 1
                } else if pairs.count > Self.indexThreshold {
                    rebuildIndex()
                }
            }
        }
    }

    /// Adds `key` at the end unless it is already present; false when it was (the caller
    /// reports the duplicate). One lookup, where a read then a write would take two.
    public mutating func insertNew(_ key: String, _ value: JSON) -> Bool {
        if position(of: key) != nil { return false }
        pairs.append((key, value))
        if index != nil {
            index?[key] = pairs.count - 1
        } else if pairs.count > Self.indexThreshold {
            rebuildIndex()
        }
        return true
    }

    private mutating func rebuildIndex() {
        var built: [String: Int] = [:]
        built.reserveCapacity(pairs.count)
        for (i, pair) in pairs.enumerated() { built[pair.key] = i }
        index = built
    }

    public var count: Int { pairs.count }
    public var keys: [String] { pairs.map(\.key) }
    public var entries: [(key: String, value: JSON)] { pairs }

    public static func == (lhs: JSONObject, rhs: JSONObject) -> Bool {
        guard lhs.count == rhs.count else { return false }
        return lhs.pairs.allSatisfy { rhs[$0.key] == $0.value }
    }
}

extension JSON {
    public subscript(key: String) -> JSON? {
        if case .object(let object) = self { return object[key] }
        return nil
    }

    public var stringValue: String? { if case .string(let s) = self { return s } else { return nil } }
    public var boolValue: Bool? { if case .bool(let b) = self { return b } else { return nil } }
    public var doubleValue: Double? { if case .number(let n) = self { return n } else { return nil } }
    public var arrayValue: [JSON]? { if case .array(let a) = self { return a } else { return nil } }
    public var objectValue: JSONObject? { if case .object(let o) = self { return o } else { return nil } }
    public var isNull: Bool { self == .null }

    /// The value as an integer, when it is a number with no fractional part in Int's range.
    public var intValue: Int? {
        guard case .number(let n) = self, n.rounded() == n, abs(n) < 9.0e15 else { return nil }
        return Int(n)
    }

    /// A short name of the value's type, for error messages.
    public var typeName: String {
        switch self {
        case .null: "null"
        case .bool: "a boolean"
        case .number: "a number"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }
}
