/// Decides which changed paths restart a watched app: `ignore_watch` patterns are globs
/// (`*`, `?`, `**`) matched against the path relative to the watched root, or against any
/// single component when the pattern has no '/'. node_modules and .git are always ignored.
public struct WatchFilter: Equatable, Sendable {
    public var patterns: [String]

    public static let defaults = ["node_modules", ".git"]

    public init(patterns: [String]) { self.patterns = Self.defaults + patterns }

    public func ignores(_ relativePath: String) -> Bool {
        let components = relativePath.split(separator: "/").map(String.init)
        for pattern in patterns {
            var p = pattern
            while p.hasPrefix("./") { p.removeFirst(2) }
            if p.hasSuffix("/") { p.removeLast() }
            if p.contains("/") {
                let parts = p.split(separator: "/").map(String.init)
                // Also ignore everything under a matching directory.
                for length in stride(from: components.count, through: 1, by: -1) where Self.matchPath(parts[...], Array(components.prefix(length))[...]) {
                    return true
                }
            } else if components.contains(where: { Self.glob(p, $0) }) {
                return true
            }
        }
        return false
    }

    static func matchPath(_ pattern: ArraySlice<String>, _ path: ArraySlice<String>) -> Bool {
        guard let first = pattern.first else { return path.isEmpty }
        if first == "**" {
            return (0...path.count).contains { matchPath(pattern.dropFirst(), path.dropFirst($0)) }
        }
        guard let head = path.first, glob(first, head) else { return false }
        return matchPath(pattern.dropFirst(), path.dropFirst())
    }

    /// Shell-style matching of one component: `*` any run, `?` one character.
    public static func glob(_ pattern: String, _ text: String) -> Bool {
        let p = Array(pattern)
        let t = Array(text)
        var pi = 0
        var ti = 0
        var star = -1
        var mark = 0
        while ti < t.count {
            if pi < p.count && (p[pi] == "?" || p[pi] == t[ti]) {
                pi += 1
                ti += 1
            } else if pi < p.count && p[pi] == "*" {
                star = pi
                mark = ti
                pi += 1
            } else if star >= 0 {
                pi = star + 1
                mark += 1
                ti = mark
            } else {
                return false
            }
        }
        while pi < p.count && p[pi] == "*" { pi += 1 }
        return pi == p.count
    }
}
