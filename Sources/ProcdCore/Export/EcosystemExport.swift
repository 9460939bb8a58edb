/// Apps as a pm2 ecosystem file that `procctl start` reads back into the same apps:
/// JSON, YAML, or a `module.exports` JavaScript file. Attributes at their default are
/// left out, and the command is split back into script, interpreter and args.
public enum EcosystemExport {
    public enum Format: String, CaseIterable, Sendable {
        case json, yaml, js

        /// The file name `start` recognises for this format.
        public var fileName: String {
            switch self {
            case .json: "ecosystem.json"
            case .yaml: "ecosystem.yaml"
            case .js: "ecosystem.config.js"
            }
        }

        /// The format a file name asks for, if it names one.
        public static func guess(fromFileName name: String) -> Format? {
            let lower = name.lowercased()
            if lower.hasSuffix(".yaml") || lower.hasSuffix(".yml") { return .yaml }
            if lower.hasSuffix(".js") || lower.hasSuffix(".cjs") { return .js }
            if lower.hasSuffix(".json") { return .json }
            return nil
        }
    }

    public static func export(_ specs: [AppSpec], format: Format) -> ExportResult {
        let document = JSON.object(["apps": .array(specs.map(app))])
        let contents: String
        switch format {
        case .json: contents = document.serialized(pretty: true) + "\n"
        case .yaml: contents = "# Exported from procd; start it with: procctl start ecosystem.yaml\n" + document.yamlText()
        case .js: contents = "// Exported from procd; start it with: procctl start ecosystem.config.js\nmodule.exports = " + document.serialized(pretty: true) + ";\n"
        }
        return ExportResult(files: [(format.fileName, contents)], printed: contents)
    }

    /// One app: the command's attributes first, then those of `AppSpec.json` that differ
    /// from a new definition's.
    static func app(_ spec: AppSpec) -> JSON {
        var out = JSONObject()
        out["name"] = .string(spec.name)
        for (key, value) in commandAttributes(spec) { out[key] = value }
        out["cwd"] = .string(spec.cwd)
        let defaults = AppSpec(name: spec.name, command: spec.command, cwd: spec.cwd).json
        let implied = ExecMode.resolve(asked: nil, isNode: spec.isNode, instances: spec.instances)
        for (key, value) in spec.json.objectValue?.entries ?? [] where out[key] == nil {
            switch key {
            // defined_env is the wire's record of which variables the app set; the file
            // says it by what its env holds.
            case "command", "script", "interpreter", "defined_env": continue
            case "exec_mode" where value == .string(implied.rawValue): continue
            case "env" where value == .object([:]): continue
            default: if defaults[key] == value { continue }
            }
            out[key] = value
        }
        return .object(out)
    }

    /// script, interpreter, interpreter_args and args, from the argv procd runs.
    static func commandAttributes(_ spec: AppSpec) -> [(String, JSON)] {
        let command = spec.command
        guard let program = command.first else { return [] }
        var out: [(String, JSON)] = []
        let words = { (slice: ArraySlice<String>) in JSON.array(slice.map { .string($0) }) }
        if let script = spec.script, let at = command.firstIndex(of: script) {
            out.append(("script", .string(script)))
            if at > 0 {
                out.append(("interpreter", .string(spec.interpreter ?? program)))
                if at > 1 { out.append(("interpreter_args", words(command[1..<at]))) }
            } else if Interpreter.forScript(script) != nil {
                out.append(("interpreter", .string("none")))
            }
            if at + 1 < command.count { out.append(("args", words(command[(at + 1)...]))) }
        } else {
            out.append(("script", .string(program)))
            if Interpreter.forScript(program) != nil { out.append(("interpreter", .string("none"))) }
            if command.count > 1 { out.append(("args", words(command.dropFirst()))) }
        }
        return out
    }
}
