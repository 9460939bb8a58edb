import ProcdCore
import ProcdWire

/// `procctl graph [config-file|target…] [--format text|mermaid|dot|json]`: the stack of a
/// config file (nothing is started) or of the daemon's table.
extension Procctl {
    func graph(_ parsed: ParsedArguments) throws -> Int32 {
        let text = parsed.value("format") ?? "text"
        guard let format = DependencyGraph.Format(rawValue: text) else {
            throw UsageError("--format expects \(DependencyGraph.Format.allCases.map(\.rawValue).joined(separator: ", ")), got '\(text)'")
        }
        var apps: [(name: String, dependencies: [Dependency])] = []
        if let file = parsed.operands.first, isConfigFile(file) {
            guard parsed.operands.count == 1 else { throw UsageError("'graph' takes one config file, or targets") }
            apps = try configs.drafts(file, parsed).drafts.map { (configs.appName($0), $0.template.dependsOn) }
        } else {
            let targets = parsed.operands.isEmpty ? ["all"] : parsed.operands
            let result = try connect().call(.describe, ["targets": .array(targets.map { .string($0) }), "definitions": .bool(true)])
            for entry in result.arrayValue ?? [] {
                guard let json = entry["app"], let spec = try? AppSpec(json: json), !apps.contains(where: { $0.name == spec.name }) else { continue }
                apps.append((spec.name, spec.dependsOn))
            }
        }
        guard !apps.isEmpty else { throw CommandFailure("no apps to draw: the table is empty and no config file was given") }
        // What is depended on but not drawn (outside the targets) is named on the edges only.
        let outside = Set(apps.flatMap { $0.dependencies.map(\.name) }).subtracting(apps.map(\.name))
        switch DependencyGraph.make(apps, known: outside) {
        case .success(let graph):
            console.out(graph.render(format))
            return 0
        case .failure(let problem):
            throw CommandFailure("\(problem)")
        }
    }
}
