/// Parses dotenv files: `KEY=VALUE` lines, `export` prefixes, `#` comments, and single,
/// double or no quotes (double quotes understand \n, \t, \" and \\).
public enum DotEnv {
    public struct Failure: Error, Equatable, Sendable {
        public var line: Int
        public var message: String
    }

    public static func parse(_ text: String) throws(Failure) -> [(key: String, value: String)] {
        var out: [(String, String)] = []
        // "\r\n" is one Character in Swift, so splitting on "\n" alone would not split CRLF lines.
        let lines = text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" })
        for (index, raw) in lines.enumerated() {
            var line = Substring(raw.hasSuffix("\r") ? raw.dropLast() : raw)
            while line.first?.isWhitespace == true { line.removeFirst() }
            if line.isEmpty || line.hasPrefix("#") { continue }
            if line.hasPrefix("export ") { line = line.dropFirst(7) }
            guard let eq = line.firstIndex(of: "=") else {
                throw Failure(line: index + 1, message: "expected KEY=VALUE")
            }
            let key = String(line[..<eq]).trimmingSpaces()
            guard !key.isEmpty, key.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == "." || $0 == "-" }) else {
                throw Failure(line: index + 1, message: "invalid variable name '\(key)'")
            }
            var value = Substring(String(line[line.index(after: eq)...]).trimmingSpaces())
            if let quote = value.first, quote == "\"" || quote == "'" {
                value.removeFirst()
                // In double quotes an escaped quote (\") does not close the value.
                var end = value.startIndex
                var escaped = false
                while end < value.endIndex, escaped || value[end] != quote {
                    escaped = !escaped && quote == "\"" && value[end] == "\\"
                    end = value.index(after: end)
                }
                guard end < value.endIndex else {
                    throw Failure(line: index + 1, message: "unterminated \(quote) quote")
                }
                var inner = String(value[..<end])
                if quote == "\"" {
                    inner = inner.replacingEscapes()
                }
                out.append((key, inner))
            } else {
                if let hash = value.firstRange(of: " #") { value = value[..<hash.lowerBound] }
                out.append((key, String(value).trimmingSpaces()))
            }
        }
        return out
    }
}

extension String {
    fileprivate func replacingEscapes() -> String {
        var out = ""
        var escaped = false
        for ch in self {
            if escaped {
                switch ch {
                case "n": out.append("\n")
                case "t": out.append("\t")
                case "r": out.append("\r")
                default: out.append(ch)
                }
                escaped = false
            } else if ch == "\\" {
                escaped = true
            } else {
                out.append(ch)
            }
        }
        if escaped { out.append("\\") }
        return out
    }
}
