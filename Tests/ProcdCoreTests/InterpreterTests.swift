import Testing

@testable import ProcdCore

@Suite struct InterpreterTests {
    @Test(arguments: [
        ("app.js", String?("node")), ("a.cjs", "node"), ("a.mjs", "node"), ("APP.JS", "node"), ("/srv/app/server.js", "node"),
        ("x.py", "python3"), ("x.rb", "ruby"), ("x.sh", "bash"), ("x.pl", "perl"), ("x.php", "php"),
        ("dir/.hidden.py", "python3"), ("/srv/my.app/run", nil), (".bashrc", nil), ("Makefile", nil), ("x.txt", nil),
        ("x.", nil), ("x.json", nil), ("./run", nil),
    ])
    func choosesByExtension(_ path: String, _ expected: String?) {
        #expect(Interpreter.forScript(path) == expected)
    }

    @Test(arguments: [
        ("api.js", "api"), ("/srv/app/api.js", "api"), ("./worker.py", "worker"), ("node", "node"),
        ("/usr/bin/node", "node"), ("archive.tar.gz", "archive.tar"), (".hidden", ".hidden"), ("a/b/", "b"),
        ("server", "server"),
    ])
    func defaultNameIsTheBaseNameWithoutExtension(_ program: String, _ expected: String) {
        #expect(Interpreter.defaultName(for: program) == expected)
    }
}
