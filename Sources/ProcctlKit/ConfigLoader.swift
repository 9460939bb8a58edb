import ProcdCore
import ProcdPlatform

/// Finds and reads configuration files: JSON and YAML ecosystem files,
/// `*.config.js|cjs|mjs` (evaluated by node), Procfiles.
struct ConfigLoader {
    let cwd: String
    let environment: [String: String]

    /// True when `target` names a configuration file rather than a script.
    static func isConfig(_ target: String) -> Bool {
        let name = target.split(separator: "/").last.map(String.init) ?? target
        let lower = name.lowercased()
        if lower.hasSuffix(".json") || lower == "procfile" || lower.hasPrefix("procfile.") { return true }
        if isYAML(lower) { return true }
        return [".config.js", ".config.cjs", ".config.mjs"].contains { lower.hasSuffix($0) }
    }

    /// The files `start` and `procd run` look for in the current directory when given
    /// none, in this order: pm2's, then process-compose's, then a Procfile.
    static let defaultNames = [
        "ecosystem.config.js", "ecosystem.config.cjs", "ecosystem.config.mjs", "ecosystem.json", "ecosystem.yaml",
        "ecosystem.yml", "process-compose.yaml", "process-compose.yml", "Procfile",
    ]

    /// The first of `defaultNames` in `directory`, as a path.
    static func findDefault(in directory: String) -> String? {
        defaultNames.map { directory == "/" ? "/" + $0 : directory + "/" + $0 }.first(where: File.isRegularFile)
    }

    /// The error when no file was given and none of `defaultNames` is here.
    static func nothingToStart(_ command: String, in directory: String) -> CommandFailure {
        CommandFailure("'\(command)' needs a script, a command or a config file, and \(directory) has none of "
            + "ecosystem.config.js, ecosystem.json, ecosystem.yaml, process-compose.yaml or Procfile "
            + "(see '\(command) --help')", exitCode: 2)
    }

    /// `.yml` and `.yaml`, also inside a longer file name (`pm2.yml.tpl`).
    static func isYAML(_ path: String) -> Bool {
        let name = (path.split(separator: "/").last.map(String.init) ?? path).lowercased()
        return name.contains(".yml") || name.contains(".yaml")
    }

    /// The script evaluating a JavaScript config: CommonJS or ES module, default export or not.
    static let evaluator = """
        const {pathToFileURL} = require('url');
        import(pathToFileURL(process.argv[1]).href).then((m) => {
          let c = m && m.default !== undefined ? m.default : m;
          if (c && typeof c === 'object' && c.default && !c.apps && !c.script) c = c.default;
          process.stdout.write(JSON.stringify(c === undefined ? null : c));
        }).catch((e) => { process.stderr.write(String(e && e.stack || e)); process.exit(1); });
        """

    func load(_ target: String, environments: [String], lenient: Bool = false) throws(CommandFailure) -> (Ecosystem.Loaded, directory: String) {
        let path = File.absolute(target, cwd: cwd)
        let directory = File.parent(of: path)
        let lower = path.lowercased()
        guard File.isRegularFile(path) else { throw CommandFailure("configuration file \(path) does not exist") }
        do throws(any Error) {
            if lower.hasSuffix(".json") {
                let bytes = try read(path)
                let document: JSON
                do {
                    document = try JSONParser.parse(bytes: bytes)
                } catch {
                    throw ConfigError(file: path, message: "invalid JSON at \(error)")
                }
                return (try Ecosystem.load(document, file: path, environments: environments, lenient: lenient), directory)
            }
            if Self.isYAML(lower) {
                let document: YAML.Document
                do {
                    document = try YAML.load(bytes: try read(path), file: path)
                } catch let error as YAMLError {
                    throw CommandFailure(error.description)
                }
                var value = document.value
                var warnings = document.warnings.map(\.description)
                if ProcessCompose.isProcessCompose(value) {
                    let translation = try ProcessCompose.ecosystem(value, file: path)
                    value = translation.document
                    warnings += translation.warnings
                }
                var loaded = try Ecosystem.load(value, file: path, environments: environments, fromYAML: true, lenient: lenient)
                loaded.warnings = warnings + loaded.warnings
                return (loaded, directory)
            }
            if lower.hasSuffix(".js") || lower.hasSuffix(".cjs") || lower.hasSuffix(".mjs") {
                return (try Ecosystem.load(try evaluate(path, directory: directory), file: path, environments: environments, lenient: lenient), directory)
            }
            var loaded = try Ecosystem.procfile(String(decoding: try read(path), as: UTF8.self), file: path)
            // foreman and honcho read .env next to the Procfile.
            if File.isRegularFile(directory + "/.env") {
                for index in loaded.drafts.indices { loaded.drafts[index].envFiles = [directory + "/.env"] }
            }
            return (loaded, directory)
        } catch let error as ConfigError {
            throw CommandFailure(error.description)
        } catch let failure as CommandFailure {
            throw failure
        } catch {
            throw CommandFailure("\(path): \(error)")
        }
    }

    private func read(_ path: String) throws(ConfigError) -> [UInt8] {
        do {
            return try File.read(path, limit: 16 << 20)
        } catch {
            throw ConfigError(file: path, message: "unable to read: \(error.reason)")
        }
    }

    private func evaluate(_ path: String, directory: String) throws(ConfigError) -> JSON {
        guard let node = Spawn.resolve("node", searchPath: environment["PATH"], cwd: cwd)
                ?? Spawn.resolve("nodejs", searchPath: environment["PATH"], cwd: cwd) else {
            throw ConfigError(file: path, message: "evaluating a JavaScript config needs node on PATH; install Node.js, or write the apps as JSON (ecosystem.json)")
        }
        let output: Subprocess.Output
        do {
            output = try Subprocess.run(path: node, argv: [node, "-e", Self.evaluator, path],
                                        env: environment.map { "\($0.key)=\($0.value)" }, cwd: directory)
        } catch {
            throw ConfigError(file: path, message: "unable to run node: \(error)")
        }
        guard output.status == .code(0) else {
            let detail = String(decoding: output.standardError, as: UTF8.self).split(separator: "\n").prefix(4).joined(separator: "\n  ")
            throw ConfigError(file: path, message: "node could not evaluate it:\n  \(detail)")
        }
        do {
            return try JSONParser.parse(bytes: output.standardOutput)
        } catch {
            throw ConfigError(file: path, message: "its export is not plain data (\(error))")
        }
    }
}
