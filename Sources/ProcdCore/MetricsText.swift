/// Writes the Prometheus text exposition format (version 0.0.4).
///
/// Each family is declared once with its HELP and TYPE lines, then its samples follow;
/// label values are escaped as the format asks (backslash, double quote, newline).
public struct MetricsText: Sendable {
    public enum Kind: String, Sendable { case gauge, counter }

    public private(set) var text = ""

    public init() {}

    /// Declares a family and writes its samples: each a label set and a value.
    public mutating func family(_ name: String, _ kind: Kind, help: String, _ samples: [(labels: [(String, String)], value: Double)]) {
        text += "# HELP \(name) \(Self.escapeHelp(help))\n# TYPE \(name) \(kind.rawValue)\n"
        for sample in samples {
            text += name
            if !sample.labels.isEmpty {
                text += "{" + sample.labels.map { "\($0.0)=\"\(Self.escapeLabel($0.1))\"" }.joined(separator: ",") + "}"
            }
            text += " " + Self.number(sample.value) + "\n"
        }
    }

    /// One unlabelled sample.
    public mutating func family(_ name: String, _ kind: Kind, help: String, value: Double) {
        family(name, kind, help: help, [([], value)])
    }

    static func escapeLabel(_ value: String) -> String {
        Format.escape(value, ["\\": "\\\\", "\"": "\\\"", "\n": "\\n", "\r\n": "\\n"])
    }

    static func escapeHelp(_ value: String) -> String {
        Format.escape(value, ["\\": "\\\\", "\n": "\\n", "\r\n": "\\n"])
    }

    /// Integers without a fraction; others as Swift prints a Double (which Prometheus reads).
    static func number(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value > 0 ? "+Inf" : "-Inf" }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return "\(value)"
    }
}
