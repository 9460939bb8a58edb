/// `procctl graph`: a stack drawn as text, Mermaid, Graphviz dot or JSON.
extension DependencyGraph {
    public enum Format: String, CaseIterable, Sendable {
        case text, mermaid, dot, json
    }

    public func render(_ format: Format) -> String {
        switch format {
        case .text: textForm
        case .mermaid: mermaidForm
        case .dot: dotForm
        case .json: jsonForm.serialized(pretty: true) + "\n"
        }
    }

    /// Each app in start order, a layer a line group, with what it waits for.
    private var textForm: String {
        var out = ""
        for (index, layer) in layers.enumerated() {
            out += "\(index + 1). " + (index == 0 ? "start first" : "then") + "\n"
            for app in layer {
                let needs = dependencies[app] ?? []
                out += "   " + app + (needs.isEmpty ? "" : "  ← " + needs.map(\.description).joined(separator: ", ")) + "\n"
            }
        }
        return out
    }

    private var mermaidForm: String {
        var out = "graph TD\n"
        for app in names {
            let needs = dependencies[app] ?? []
            if needs.isEmpty { out += "  \(Self.mermaidID(app))[\"\(app)\"]\n" }
            for need in needs {
                out += "  \(Self.mermaidID(need.name))[\"\(need.name)\"] -->|\(need.condition.rawValue)| \(Self.mermaidID(app))[\"\(app)\"]\n"
            }
        }
        return out
    }

    private var dotForm: String {
        var out = "digraph stack {\n  rankdir=LR;\n"
        for app in names { out += "  \(Self.quoted(app));\n" }
        for app in names {
            for need in dependencies[app] ?? [] {
                out += "  \(Self.quoted(need.name)) -> \(Self.quoted(app)) [label=\(Self.quoted(need.condition.rawValue))];\n"
            }
        }
        return out + "}\n"
    }

    /// `{"apps": [{"name", "depends_on": {name: {condition}}, "layer"}], "layers": [[…]]}`.
    public var jsonForm: JSON {
        let layerOf = Dictionary(layers.enumerated().flatMap { index, layer in layer.map { ($0, index) } }, uniquingKeysWith: { a, _ in a })
        let apps: [JSON] = names.map { app in
            .object(["name": .string(app), "depends_on": Dependency.json(dependencies[app] ?? []), "layer": .int(layerOf[app] ?? 0)])
        }
        return .object(["apps": .array(apps), "layers": .array(layers.map { .array($0.map { .string($0) }) })])
    }

    /// Mermaid node ids take letters, digits and underscores.
    private static func mermaidID(_ name: String) -> String {
        "n_" + String(name.map { $0.isLetter || $0.isNumber ? $0 : "_" }) + "_\(name.utf8.reduce(UInt32(0)) { $0 &* 31 &+ UInt32($1) } % 10_000)"
    }

    private static func quoted(_ text: String) -> String {
        "\"" + text.flatMap { $0 == "\"" || $0 == "\\" ? ["\\", $0] : [$0] } + "\""
    }
}
