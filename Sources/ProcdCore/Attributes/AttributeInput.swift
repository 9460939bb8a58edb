/// One value to read, and where it came from: files and the command line accept text
/// for numbers, booleans and durations with units; the wire takes only the JSON form.
public struct AttributeInput: Sendable {
    public let value: JSON
    public let source: AttributeSource
    /// YAML files: `yes`, `no`, `on` and `off` are strings in YAML 1.2, but files written
    /// for YAML 1.1 readers mean booleans by them.
    public let booleanWords: Bool

    var isWire: Bool { source == .wire }

    /// The value as errors show it: its kind on the wire, else as written.
    var shown: String { isWire ? value.typeName : value.serialized() }

    func text() throws(AttributeError) -> String {
        if isWire {
            guard let text = value.stringValue else { throw AttributeError("expected a string, got \(value.typeName)") }
            return text
        }
        guard let text = Ecosystem.scalarText(value) else { throw AttributeError("expected a string, got \(value.typeName)") }
        return text
    }

    /// Text that must not be empty once trimmed; `what` names it in the error.
    func nonEmptyText(_ what: String) throws(AttributeError) -> String {
        let text = try text()
        guard !text.trimmingSpaces().isEmpty else { throw AttributeError("\(what) is empty") }
        return text
    }

    func bool() throws(AttributeError) -> Bool {
        if let b = value.boolValue { return b }
        if !isWire {
            if value.stringValue == "true" { return true }
            if value.stringValue == "false" { return false }
            if booleanWords, let word = value.stringValue, let meaning = EcosystemEntry.booleanWord(word) { return meaning }
        }
        throw AttributeError("expected true or false, got \(shown)")
    }

    func count(_ range: ClosedRange<Int>) throws(AttributeError) -> Int {
        guard let n = value.intValue ?? (isWire ? nil : value.stringValue.flatMap { Int($0.trimmingSpaces()) }) else {
            throw AttributeError("expected a whole number, got \(shown)")
        }
        guard range.contains(n) else { throw AttributeError("\(n) is out of range (\(range.lowerBound) to \(range.upperBound))") }
        return n
    }

    /// Milliseconds, or (from files and the command line) text such as `30s`.
    func duration() throws(AttributeError) -> Duration {
        if isWire { return .milliseconds(Int64(try count(0...Int(Int32.max)))) }
        if let n = value.intValue, n >= 0 { return .milliseconds(Int64(n)) }
        if let text = value.stringValue, let d = Units.duration(text) { return d }
        throw AttributeError("expected milliseconds or a duration such as \"30s\", got \(value.serialized())")
    }

    /// A duration of at least `minimum`; `label` names the attribute in the error.
    func duration(atLeast minimum: Duration) throws(AttributeError) -> Duration {
        let d = try duration()
        guard d >= minimum else { throw AttributeError("must be at least \(minimum.milliseconds) ms") }
        return d
    }

    /// Bytes, as a number or as text such as `10M`; `example` shows the form in the error.
    func size(example: String, atLeast minimum: Int64) throws(AttributeError) -> Int64 {
        let size = value.intValue.map(Int64.init) ?? value.stringValue.flatMap(Units.bytes)
        guard let size, size >= minimum else {
            if isWire { throw AttributeError("expected a size such as 10M or a number of bytes, got \(value.serialized())") }
            throw AttributeError("expected a size such as \"\(example)\", got \(value.serialized())")
        }
        return size
    }

    /// An array of strings; files may give one string for a list of one.
    func texts(_ expectation: String = "an array of strings") throws(AttributeError) -> [String] {
        if !isWire, let one = value.stringValue { return [one] }
        guard let items = value.arrayValue else { throw AttributeError("expected \(expectation), got \(value.typeName)") }
        var out: [String] = []
        for item in items {
            guard let text = item.stringValue else { throw AttributeError("expected \(expectation), got \(item.typeName)") }
            out.append(text)
        }
        return out
    }
}
