import Foundation
import ProcdCore
import Testing

/// The real-world pm2 files of /work/shared/compat: every top-level one loads with
/// `--dry-run` and shows each app it defines; `invalid/` is refused, and the YAML files of
/// `unsupported/` (refused before procd read YAML) load too. None of them starts
/// anything, not even the daemon.
@Suite("Configuration files: real-world pm2 files", .serialized, .timeLimit(.minutes(1)))
struct ConfigFileCompatTests {
    @Test(arguments: CompatFiles.topLevel(extensions: ["json"]))
    func jsonFileDryRunShowsEveryApp(file: String) throws {
        let expected = try CompatFiles.jsonAppNames(CompatFiles.path(file))
        try withSandbox { sandbox in try checkDryRun(sandbox, file: file, expected: expected) }
    }

    @Test(.enabled(if: Scenario.hasNode, "node is not installed"),
          arguments: CompatFiles.topLevel(extensions: ["js", "cjs"]))
    func javascriptFileDryRunShowsEveryApp(file: String) throws {
        try withSandbox { sandbox in
            let expected = try CompatFiles.javascriptAppNames(CompatFiles.path(file), sandbox: sandbox)
            try checkDryRun(sandbox, file: file, expected: expected)
        }
    }

    @Test(arguments: CompatFiles.files(in: "invalid"))
    func invalidFileIsRefusedNamingFileAppAndScript(file: String) throws {
        let path = CompatFiles.path("invalid/" + file)
        let apps = try CompatFiles.jsonAppNames(path)
        try withSandbox { sandbox in
            for arguments in [["start", path, "--dry-run"], ["start", path]] {
                let result = sandbox.procctl(arguments)
                #expect(result.status == 1, "\(arguments): \(result)")
                #expect(result.stderr.contains("procctl: error:"), "\(result)")
                #expect(result.stderr.contains(file), "the message does not name the file: \(result)")
                #expect(apps.contains { result.stderr.contains($0) }, "the message names none of \(apps): \(result)")
                #expect(result.stderr.contains("script"), "the message does not name 'script': \(result)")
            }
            #expect(!FileManager.default.fileExists(atPath: sandbox.home + "/procd.pid"), "a daemon was started")
        }
    }

    @Test(arguments: CompatFiles.files(in: "unsupported").filter { $0.contains(".yml") || $0.contains(".yaml") })
    func yamlFileDryRunShowsEveryApp(file: String) throws {
        let relative = "unsupported/" + file
        let document = try YAML.parse(String(decoding: FileManager.default.contents(atPath: CompatFiles.path(relative)) ?? Data(), as: UTF8.self))
        let expected = document["apps"]?.arrayValue?.compactMap { $0["name"]?.stringValue } ?? []
        try withSandbox { sandbox in
            // A template's placeholder name (`{{projectName}}`) is not a name procd takes:
            // the dry run refuses it and names the rule.
            if let refused = expected.first(where: { AppSpec.problem(withNewName: $0) != nil }) {
                let result = sandbox.procctl("start", CompatFiles.path(relative), "--dry-run")
                #expect(result.status == 1 && result.stderr.contains(refused) && result.stderr.contains("may contain only"), "\(result)")
            } else {
                try checkDryRun(sandbox, file: relative, expected: expected)
            }
        }
    }

    @Test func compatFilesArePresent() {
        #expect(CompatFiles.topLevel(extensions: ["json", "js", "cjs"]).count >= 10, "no compat files in \(CompatFiles.directory)")
        #expect(!CompatFiles.files(in: "invalid").isEmpty)
        #expect(!CompatFiles.files(in: "unsupported").isEmpty)
    }

    /// `start FILE --dry-run` shows each expected name; `--dry-run --json` lists exactly them.
    private func checkDryRun(_ sandbox: Sandbox, file: String, expected: [String]) throws {
        let path = CompatFiles.path(file)
        #expect(!expected.isEmpty, "the test found no app in \(file)")
        let text = sandbox.procctl("start", path, "--dry-run")
        #expect(text.status == 0, "\(text)")
        let lines = Scenario.lines(text.stdout).map { $0.trimmingCharacters(in: .whitespaces) }
        for name in expected {
            #expect(lines.contains { $0 == name || $0.hasPrefix(name + " ") }, "'\(name)' is not shown:\n\(text.stdout)")
        }

        let json = sandbox.procctl("start", path, "--dry-run", "--json")
        #expect(json.status == 0, "\(json)")
        let parsed = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8))
        let apps = try #require(parsed as? [[String: Any]], "--dry-run --json is not an array of objects:\n\(json.stdout)")
        #expect(apps.compactMap { $0["name"] as? String }.sorted() == expected.sorted())
        #expect(!FileManager.default.fileExists(atPath: sandbox.home + "/procd.pid"), "--dry-run started a daemon")
    }
}

/// The files of /work/shared/compat and, independently of procd, the app names they define.
enum CompatFiles {
    static let directory = "/work/shared/compat"

    static func path(_ relative: String) -> String { directory + "/" + relative }

    /// Regular files directly in `directory` whose extension is one of `extensions`.
    static func topLevel(extensions: Set<String>) -> [String] {
        files(in: nil).filter { extensions.contains(URL(fileURLWithPath: $0).pathExtension) }
    }

    /// Regular files in a subfolder (or the top level when nil), sorted by name.
    static func files(in subfolder: String?) -> [String] {
        let folder = subfolder.map { path($0) } ?? directory
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        return names.filter { name in
            var isDirectory: ObjCBool = false
            return FileManager.default.fileExists(atPath: folder + "/" + name, isDirectory: &isDirectory) && !isDirectory.boolValue
        }.sorted()
    }

    /// The names a JSON ecosystem defines: `apps` (array or one object) or a bare app
    /// object; an app without `name` is named after its script without the extension.
    static func jsonAppNames(_ path: String) throws -> [String] {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        let root = try JSONSerialization.jsonObject(with: data)
        var apps: [[String: Any]] = []
        if let array = root as? [[String: Any]] {
            apps = array
        } else if let object = root as? [String: Any] {
            if let list = object["apps"] as? [[String: Any]] {
                apps = list
            } else if let one = object["apps"] as? [String: Any] {
                apps = [one]
            } else {
                apps = [object]
            }
        }
        return apps.compactMap { app in
            if let name = app["name"] as? String { return name }
            guard let script = app["script"] as? String else { return nil }
            return URL(fileURLWithPath: script).deletingPathExtension().lastPathComponent
        }
    }

    /// The names a JavaScript ecosystem defines, asking node itself.
    static func javascriptAppNames(_ path: String, sandbox: Sandbox) throws -> [String] {
        let node = try #require(Scenario.which("node"))
        let script = """
            const path = require('path');
            let m = require(process.argv[1]);
            if (m && m.__esModule && m.default) m = m.default;
            let apps = (m && m.apps !== undefined) ? m.apps : m;
            if (!Array.isArray(apps)) apps = [apps];
            console.log(JSON.stringify(apps.map(a => a.name || path.parse(String(a.script)).name)));
            """
        let result = sandbox.run(node, ["-e", script, path], timeout: .seconds(20))
        guard result.status == 0 else { throw SandboxError("node could not evaluate \(path): \(result)") }
        let names = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String]
        return try #require(names, "node printed \(result.stdout)")
    }
}
