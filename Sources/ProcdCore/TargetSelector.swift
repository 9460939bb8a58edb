/// Resolves user targets (ids, app names, namespaces, `all`) to process ids.
public enum TargetSelector {
    public struct Entry: Sendable {
        public var id: Int
        public var name: String
        public var namespace: String
        public init(id: Int, name: String, namespace: String) {
            self.id = id
            self.name = name
            self.namespace = namespace
        }
    }

    public struct Unknown: Error, Equatable, Sendable {
        public var target: String
        public var suggestion: String?
        public var message: String {
            var text = Int(target) != nil ? "no process with id \(target)" : "no app or namespace named '\(target)'"
            if let suggestion { text += " (did you mean '\(suggestion)'?)" }
            return text
        }
    }

    /// Ids in table order, each once. Names are matched before namespaces.
    public static func select(_ targets: [String], from entries: [Entry]) throws(Unknown) -> [Int] {
        var chosen = Set<Int>()
        for target in targets {
            let matches: [Entry]
            if target == "all" {
                matches = entries
            } else if let id = Int(target) {
                matches = entries.filter { $0.id == id }
            } else {
                let byName = entries.filter { $0.name == target }
                matches = byName.isEmpty ? entries.filter { $0.namespace == target } : byName
            }
            if matches.isEmpty && target != "all" {
                let names = Set(entries.map(\.name)).union(entries.map(\.namespace))
                throw Unknown(target: target, suggestion: closest(to: target, in: names))
            }
            for entry in matches { chosen.insert(entry.id) }
        }
        return entries.map(\.id).filter { chosen.contains($0) }
    }

    /// The candidate within edit distance 2 of `word`, if any.
    public static func closest(to word: String, in candidates: some Sequence<String>) -> String? {
        var best: (String, Int)?
        for candidate in candidates {
            let d = distance(Array(word), Array(candidate))
            if d <= 2, d < best?.1 ?? Int.max { best = (candidate, d) }
        }
        return best?.0
    }

    static func distance(_ a: [Character], _ b: [Character]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        for i in 1...a.count {
            var current = [i] + Array(repeating: 0, count: b.count)
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return previous[b.count]
    }
}
