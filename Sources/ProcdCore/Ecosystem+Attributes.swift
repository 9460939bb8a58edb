/// The steps of reading one app entry, a group of related attributes each. An entry with
/// several problems reports the first one met, so `Ecosystem.app` runs the steps, and each
/// step reads its attributes, in one fixed order.
extension EcosystemEntry {
    /// script, name, args, interpreter, interpreter_args (or node_args), cwd.
    func command() throws(ConfigError) -> AppDraft {
        guard let script = try string("script"), !script.isEmpty else {
            throw fail("script", "is missing: every app needs the script or program to run")
        }
        var draft = AppDraft(script: script)
        draft.name = try string("name")
        if let name = draft.name, let problem = AppSpec.problem(withNewName: name) { throw fail("name", problem) }
        draft.args = try words("args") ?? []
        draft.interpreter = try string("interpreter")
        // Both are read so that a malformed one is reported even when the other is set.
        let interpreterArgs = try words("interpreter_args")
        let nodeArgs = try words("node_args")
        draft.interpreterArgs = interpreterArgs ?? nodeArgs ?? []
        draft.cwd = try string("cwd")
        return draft
    }

    /// instances.
    func readInstances(into draft: inout AppDraft) throws(ConfigError) {
        guard let value = present("instances") else { return }
        guard let text = Ecosystem.scalarText(value) else { throw fail("instances", "expected a number or \"max\", got \(value.typeName)") }
        draft.instances = text
        if case .failure(let error) = draft.instanceCount(cpus: 1) { throw fail("instances", error.message) }
    }

    /// env_file, env, then the env_NAME blocks of `environments` over env.
    func readEnvironment(into draft: inout AppDraft, environments: [String]) throws(ConfigError) {
        if let file = try string("env_file") { draft.envFiles = [file] }
        draft.template.env = try environment("env")
        for name in environments {
            for (key, value) in try environment("env_\(name)") { draft.template.env[key] = value }
        }
    }

    /// Every attribute of `AppAttributes`, in the table's order. An alias is read before
    /// its key, so the key wins when both are set, and a malformed alias is reported.
    func readAttributes(into template: inout AppSpec) throws(ConfigError) {
        for attribute in AppAttributes.all {
            for key in attribute.aliases + [attribute.key] {
                guard let value = present(key) else { continue }
                do {
                    try attribute.read(value, from: .file, booleanWords: acceptsBooleanWords, into: &template)
                } catch {
                    throw fail(key, error.message)
                }
            }
        }
    }

    /// A warning for each attribute procd does not act on, in the entry's order. With
    /// `strict`, an unknown attribute within edit distance 2 of a known one is a typo, and
    /// an error that names the likely attribute; `ignoring` keys belong to the file, not the app.
    func unknownAttributes(strict: Bool, ignoring: Set<String> = []) throws(ConfigError) -> [String] {
        var warnings: [String] = []
        for key in object.keys where !AppAttributes.fileKeys.contains(key) && !(key.hasPrefix("env_") && key != "env_file") && !ignoring.contains(key) {
            if Ecosystem.unsupported.contains(key) {
                if object[key] == .bool(false) || object[key] == .null { continue }      // a feature turned off
                warnings.append("\(file): app \(label): '\(key)' is not supported by procd yet; ignored")
            } else if let guess = TargetSelector.closest(to: key, in: AppAttributes.fileKeys.sorted()) {
                if strict {
                    throw fail(key, "unknown attribute (did you mean '\(guess)'?); correct it, or start with --lenient "
                        + "(or \"strict\": false at the top of the file) to ignore it")
                }
                warnings.append("\(file): app \(label): unknown attribute '\(key)' (did you mean '\(guess)'?); ignored")
            } else if object[key] != .bool(false) && object[key] != .null {
                warnings.append("\(file): app \(label): unknown attribute '\(key)'; ignored")
            }
        }
        return warnings
    }
}
