import ProcdCore
import ProcdPlatform
import ProcdWire

/// `procctl export systemd|compose|kubernetes|ecosystem [target|config-file…] [-o PATH]`:
/// the apps as what those engines run, or as a pm2 ecosystem file, from config files or
/// from the daemon's table.
extension Procctl {
    func export(_ parsed: ParsedArguments) throws -> Int32 {
        let engines = ["systemd", "compose", "kubernetes", "ecosystem"]
        guard let engine = parsed.operands.first, engines.contains(engine) else {
            throw UsageError("'export' needs an engine: \(engines.joined(separator: ", ")), e.g. 'procctl export systemd api -o /etc/systemd/system'")
        }
        let format = try ecosystemFormat(engine, parsed)
        var specs = try exportedSpecs(Array(parsed.operands.dropFirst()), parsed)
        guard !specs.isEmpty else { throw CommandFailure("nothing to export: the table is empty and no config file was given") }
        let ambient = Environment.all()
        specs = specs.map { $0.withOwnEnvironment(ambient: ambient) }
        let result: ExportResult
        switch engine {
        case "systemd": result = SystemdExport.export(specs)
        case "compose": result = ComposeExport.export(specs)
        case "kubernetes": result = KubernetesExport.export(specs)
        default: result = EcosystemExport.export(specs, format: format ?? .json)
        }
        for warning in result.warnings { console.warning(warning) }
        return try write(result, ecosystem: format != nil, parsed)
    }

    /// The specs of the config files named, and of the table's apps for the other
    /// targets (all of them when nothing is named).
    private func exportedSpecs(_ sources: [String], _ parsed: ParsedArguments) throws -> [AppSpec] {
        var specs: [AppSpec] = []
        var targets: [String] = []
        for source in sources {
            if isConfigFile(source) {
                specs += try configs.resolvedSpecs(source, parsed)
            } else {
                targets.append(source)
            }
        }
        if sources.isEmpty { targets = ["all"] }
        if !targets.isEmpty {
            let result = try connect().call(.describe, ["targets": .array(targets.map { .string($0) }), "definitions": .bool(true)])
            for entry in result.arrayValue ?? [] {
                guard let app = entry["app"], let spec = try? AppSpec(json: app), !specs.contains(where: { $0.name == spec.name }) else { continue }
                specs.append(spec)
            }
        }
        return specs
    }

    /// The files into `-o` (a file for an ecosystem, else a directory), or printed.
    private func write(_ result: ExportResult, ecosystem: Bool, _ parsed: ParsedArguments) throws -> Int32 {
        if ecosystem, let path = parsed.value("output"), let file = result.files.first {
            let target = File.absolute(path, cwd: cwd)
            do {
                try File.writeAtomically(target, Array(file.contents.utf8), mode: 0o644)
            } catch {
                throw CommandFailure("unable to write \(target): \(error.reason)")
            }
            console.out("wrote \(target)\n")
            if !ConfigLoader.isConfig(target) {
                console.warning("'procctl start \(path)' would run it as a script: a config file's name ends in .json, .yaml, .yml or .config.js")
            }
            return 0
        }
        guard let directory = parsed.value("output") else {
            if let printed = result.printed {
                console.out(printed)
                return 0
            }
            for file in result.files {
                if result.files.count > 1 { console.out("# \(file.name)\n") }
                console.out(file.contents)
            }
            return 0
        }
        let target = File.absolute(directory, cwd: cwd)
        do {
            try File.makeDirectory(target, mode: 0o755)
            for file in result.files {
                try File.writeAtomically(target + "/" + file.name, Array(file.contents.utf8), mode: 0o644)
                console.out("wrote \(target)/\(file.name)\n")
            }
        } catch {
            throw CommandFailure("unable to write into \(target): \(error.reason)")
        }
        return 0
    }

    /// The ecosystem file's format: --format, else the -o file's name, else JSON; nil
    /// for the other engines, which take no --format.
    private func ecosystemFormat(_ engine: String, _ parsed: ParsedArguments) throws -> EcosystemExport.Format? {
        let asked = parsed.value("format")
        guard engine == "ecosystem" else {
            if asked != nil { throw UsageError("--format applies to 'export ecosystem' only") }
            return nil
        }
        if let asked {
            guard let format = EcosystemExport.Format(rawValue: asked) else {
                throw UsageError("--format: expected json, yaml or js, got '\(asked)'")
            }
            return format
        }
        return parsed.value("output").flatMap(EcosystemExport.Format.guess(fromFileName:)) ?? .json
    }
}
