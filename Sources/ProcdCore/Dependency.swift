/// What an app waits for in another before it starts (`depends_on`).
public enum DependencyCondition: String, Sendable, CaseIterable {
    /// Forked.
    case started
    /// Ready: its readiness signal if it has one, else started.
    case online
    /// Its readiness probe passed.
    case healthy
    /// Exited, with any code.
    case completed
    /// Exited 0.
    case completedSuccessfully = "completed_successfully"
    /// A line matching its `ready_log_line` appeared in its output.
    case logReady = "log_ready"

    /// procd's names, and process-compose's (`process_healthy` and so on).
    public static func parse(_ text: String) -> DependencyCondition? {
        let name = text.hasPrefix("process_") ? String(text.dropFirst("process_".count)) : text
        return DependencyCondition(rawValue: name)
    }

    static var expectation: String {
        allCases.map(\.rawValue).joined(separator: ", ") + " (or process-compose's process_… spellings)"
    }
}

/// One entry of `depends_on`: the app waited for, and for what.
public struct Dependency: Equatable, Hashable, Sendable, CustomStringConvertible {
    public var name: String
    public var condition: DependencyCondition

    public init(_ name: String, _ condition: DependencyCondition = .online) {
        self.name = name
        self.condition = condition
    }

    public var description: String { "\(name): \(condition.rawValue)" }

    /// `depends_on` as files write it: a list of names (each `online`), a list of
    /// `NAME:CONDITION` strings, or a mapping name → `{condition: …}`, in the order given;
    /// a name given twice is an error.
    public static func parse(_ value: JSON) -> Result<[Dependency], SpecError> {
        var found: [Dependency] = []
        func add(_ dependency: Dependency) -> SpecError? {
            if found.contains(where: { $0.name == dependency.name }) {
                return SpecError(field: "depends_on", message: "'\(dependency.name)' is named twice")
            }
            found.append(dependency)
            return nil
        }
        switch value {
        case .string(let text):
            return parse(.array([.string(text)]))
        case .array(let items):
            for item in items {
                guard let text = item.stringValue, !text.isEmpty else {
                    return .failure(SpecError(field: "depends_on", message: "expected app names, got \(item.serialized())"))
                }
                switch cliForm(text) {
                case .success(let dependency): if let error = add(dependency) { return .failure(error) }
                case .failure(let error): return .failure(error)
                }
            }
        case .object(let object):
            for (name, settings) in object.entries {
                var condition = DependencyCondition.online
                if let text = settings["condition"]?.stringValue {
                    guard let parsed = DependencyCondition.parse(text) else {
                        return .failure(SpecError(field: "depends_on", message: "'\(name)': unknown condition '\(text)'; expected \(DependencyCondition.expectation)"))
                    }
                    condition = parsed
                } else if settings != .null && settings.objectValue == nil {
                    return .failure(SpecError(field: "depends_on", message: "'\(name)': expected {condition: …}, got \(settings.serialized())"))
                }
                if let error = add(Dependency(name, condition)) { return .failure(error) }
            }
        case .null:
            break
        default:
            return .failure(SpecError(field: "depends_on", message: "expected a list of app names or a mapping, got \(value.typeName)"))
        }
        return .success(found)
    }

    /// `NAME` or `NAME:CONDITION`, as `--depends-on` takes it.
    public static func cliForm(_ text: String) -> Result<Dependency, SpecError> {
        guard let colon = text.lastIndex(of: ":") else { return .success(Dependency(text)) }
        let name = String(text[..<colon])
        let conditionText = String(text[text.index(after: colon)...])
        guard !name.isEmpty, let condition = DependencyCondition.parse(conditionText) else {
            return .failure(SpecError(field: "depends_on", message: "'\(text)': expected NAME or NAME:CONDITION, CONDITION one of \(DependencyCondition.expectation)"))
        }
        return .success(Dependency(name, condition))
    }

    /// The JSON form, as state.json and the wire keep it: a mapping name → {condition}.
    public static func json(_ dependencies: [Dependency]) -> JSON {
        var object = JSONObject()
        for dependency in dependencies { object[dependency.name] = .object(["condition": .string(dependency.condition.rawValue)]) }
        return .object(object)
    }
}
