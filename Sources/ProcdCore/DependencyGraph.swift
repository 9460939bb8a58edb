/// The apps of a stack and what each waits for: checked before anything starts (unknown
/// names, cycles), and read for the order of starting, stopping and `--only`.
public struct DependencyGraph: Equatable, Sendable {
    /// App names in the order they were given, and each one's dependencies.
    public private(set) var names: [String]
    public private(set) var dependencies: [String: [Dependency]]

    /// Why a graph cannot be used.
    public enum Problem: Error, Equatable, Sendable, CustomStringConvertible {
        case unknown(app: String, dependency: String, suggestion: String?)
        case cycle([String])
        case selfDependency(String)

        public var description: String {
            switch self {
            case .unknown(let app, let dependency, let suggestion):
                "'\(app)' depends on '\(dependency)', which is not an app here\(suggestion.map { " (did you mean '\($0)'?)" } ?? "")"
            case .cycle(let path):
                "the dependencies form a cycle: \(path.joined(separator: " → ")); nothing was started"
            case .selfDependency(let app):
                "'\(app)' depends on itself"
            }
        }
    }

    /// `known` are apps that exist outside this graph (already in the table): a dependency
    /// on one of them is fine.
    public static func make(_ apps: [(name: String, dependencies: [Dependency])], known: Set<String> = []) -> Result<DependencyGraph, Problem> {
        let graph = DependencyGraph(names: apps.map(\.name), dependencies: Dictionary(apps.map { ($0.name, $0.dependencies) }, uniquingKeysWith: { first, _ in first }))
        let inGraph = Set(graph.names)
        for app in graph.names {
            for dependency in graph.dependencies[app] ?? [] {
                if dependency.name == app { return .failure(.selfDependency(app)) }
                if !inGraph.contains(dependency.name) && !known.contains(dependency.name) {
                    let suggestion = TargetSelector.closest(to: dependency.name, in: graph.names + known.sorted())
                    return .failure(.unknown(app: app, dependency: dependency.name, suggestion: suggestion))
                }
            }
        }
        if let cycle = graph.firstCycle() { return .failure(.cycle(cycle)) }
        return .success(graph)
    }

    /// Apps in start order, grouped: each group's apps depend only on earlier groups (or on
    /// apps outside the graph), so the apps of one group start together.
    public var layers: [[String]] {
        var depth: [String: Int] = [:]
        func level(_ app: String) -> Int {
            if let known = depth[app] { return known }
            let below = (dependencies[app] ?? []).filter { dependencies[$0.name] != nil }.map { level($0.name) + 1 }
            let result = below.max() ?? 0
            depth[app] = result
            return result
        }
        var layers: [[String]] = []
        for app in names {
            let at = level(app)
            while layers.count <= at { layers.append([]) }
            layers[at].append(app)
        }
        return layers
    }

    /// Stop order: dependents before what they depend on.
    public var stopLayers: [[String]] { layers.reversed() }

    /// `apps` and everything they need, in the graph's order (`start FILE --only api`).
    public func closure(of apps: [String]) -> [String] {
        var wanted = Set<String>()
        var stack = apps
        while let app = stack.popLast() {
            guard wanted.insert(app).inserted else { continue }
            stack += (dependencies[app] ?? []).map(\.name)
        }
        return names.filter { wanted.contains($0) }
    }

    /// The apps that depend on `app`, directly or not (stopped first when it stops).
    public func dependents(of app: String) -> [String] {
        var found = Set<String>()
        var stack = [app]
        while let current = stack.popLast() {
            for candidate in names where !found.contains(candidate) && (dependencies[candidate] ?? []).contains(where: { $0.name == current }) {
                found.insert(candidate)
                stack.append(candidate)
            }
        }
        return names.filter { found.contains($0) }
    }

    /// A cycle as a path that ends where it began (`a → b → c → a`), or nil.
    func firstCycle() -> [String]? {
        enum Mark { case visiting, done }
        var marks: [String: Mark] = [:]
        var path: [String] = []
        func visit(_ app: String) -> [String]? {
            switch marks[app] {
            case .done?: return nil
            case .visiting?:
                guard let start = path.firstIndex(of: app) else { return nil }
                return Array(path[start...]) + [app]
            case nil: break
            }
            marks[app] = .visiting
            path.append(app)
            for dependency in dependencies[app] ?? [] where dependencies[dependency.name] != nil {
                if let cycle = visit(dependency.name) { return cycle }
            }
            path.removeLast()
            marks[app] = .done
            return nil
        }
        for app in names { if let cycle = visit(app) { return cycle } }
        return nil
    }
}
