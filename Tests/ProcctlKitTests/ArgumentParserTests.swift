@testable import ProcctlKit
import Testing

/// `ParsedArguments.parse` against a small command of its own, so the cases do not move
/// when the real table changes, plus a few against the real `start`.
@Suite struct ArgumentParserTests {
    /// `-a`, `-b` flags; `-n/--name NAME` and `--lines N` values; `--env` repeatable.
    static let command = CommandSpec(
        name: "demo", usage: "demo [options] <operand...>", summary: "a command for tests",
        options: [
            OptionSpec("all", short: "a", help: "a flag"),
            OptionSpec("brief", short: "b", help: "another flag"),
            OptionSpec("name", short: "n", value: "NAME", help: "a value"),
            OptionSpec("lines", value: "N", help: "a number", completion: .number),
            OptionSpec("env", value: "KEY=VALUE", help: "repeatable", repeatable: true),
        ],
        operand: .targets)

    struct Case: CustomTestStringConvertible, Sendable {
        var words: [String]
        var values: [String: [String]] = [:]
        var flags: Set<String> = []
        var operands: [String] = []
        var passthrough: [String] = []
        var wantsHelp = false
        var testDescription: String { words.isEmpty ? "(no words)" : words.joined(separator: " ") }
    }

    static let cases: [Case] = [
        Case(words: []),
        Case(words: ["web", "api"], operands: ["web", "api"]),
        Case(words: ["--name", "web"], values: ["name": ["web"]]),
        Case(words: ["-n", "web", "app.js"], values: ["name": ["web"]], operands: ["app.js"]),
        Case(words: ["--name=web"], values: ["name": ["web"]]),
        Case(words: ["--name=a=b"], values: ["name": ["a=b"]]),
        Case(words: ["--name="], values: ["name": [""]]),
        Case(words: ["-nweb"], values: ["name": ["web"]]),
        Case(words: ["--all", "-b"], flags: ["all", "brief"]),
        Case(words: ["-ab"], flags: ["all", "brief"]),
        Case(words: ["-ba", "x"], flags: ["all", "brief"], operands: ["x"]),
        Case(words: ["--env", "A=1", "--env=B=2"], values: ["env": ["A=1", "B=2"]]),
        Case(words: ["--name", "one", "--name", "two"], values: ["name": ["one", "two"]]),
        Case(words: ["app", "--", "--name", "x", "-a"], operands: ["app"], passthrough: ["--name", "x", "-a"]),
        Case(words: ["--", "--"], passthrough: ["--"]),
        Case(words: ["app", "--"], operands: ["app"]),
        Case(words: ["-1"], operands: ["-1"]),
        Case(words: ["scale", "-2", "+3"], operands: ["scale", "-2", "+3"]),
        Case(words: ["--lines", "-5"], values: ["lines": ["-5"]]),
        Case(words: ["-n", "-a"], values: ["name": ["-a"]]),
        Case(words: ["-"], operands: ["-"]),
        Case(words: ["-h"], wantsHelp: true),
        Case(words: ["web", "--help"], operands: ["web"], wantsHelp: true),
    ]

    @Test(arguments: cases)
    func parses(_ expected: Case) throws {
        let parsed = try ParsedArguments.parse(expected.words, for: Self.command)
        #expect(parsed.values == expected.values)
        #expect(parsed.flags == expected.flags)
        #expect(parsed.operands == expected.operands)
        #expect(parsed.passthrough == expected.passthrough)
        #expect(parsed.wantsHelp == expected.wantsHelp)
    }

    static let mistakes: [(words: [String], message: String)] = [
        (["--name"], "option '--name' needs a value (NAME)"),
        (["web", "-n"], "option '--name' needs a value (NAME)"),
        (["--lines"], "option '--lines' needs a value (N)"),
        (["--nope"], "unknown option '--nope' for 'demo'"),
        (["--nope=1"], "unknown option '--nope' for 'demo'"),
        (["-z"], "unknown option '-z' for 'demo'"),
        (["-az"], "unknown option '-z' for 'demo'"),
        (["--all=yes"], "option '--all' takes no value"),
        (["---"], "unknown option '---' for 'demo'"),
    ]

    @Test(arguments: mistakes)
    func rejects(_ words: [String], _ message: String) {
        #expect(throws: UsageError(message)) { try ParsedArguments.parse(words, for: Self.command) }
    }

    /// A value option inside a bundle of flags is refused rather than guessed at.
    @Test func valueOptionInsideABundleIsRefused() {
        #expect(throws: UsageError.self) { try ParsedArguments.parse(["-an", "web"], for: Self.command) }
    }

    @Test func valueAccessorsReturnTheLastAndAll() throws {
        let parsed = try ParsedArguments.parse(["--name", "a", "--name", "b", "--env", "X=1", "-a"], for: Self.command)
        #expect(parsed.value("name") == "b")
        #expect(parsed.all("env") == ["X=1"])
        #expect(parsed.all("lines").isEmpty)
        #expect(parsed.has("all"))
        #expect(!parsed.has("brief"))
    }

    @Test func startTakesAScriptOptionsAndPassthroughArguments() throws {
        let start = try #require(CommandTable.find("start"))
        let parsed = try ParsedArguments.parse(
            ["server.py", "-n", "api", "-i", "-1", "--env", "A=1", "--env", "B=2", "-f", "--", "--port", "9000"], for: start)
        #expect(parsed.operands == ["server.py"])
        #expect(parsed.value("name") == "api")
        #expect(parsed.value("instances") == "-1")
        #expect(parsed.all("env") == ["A=1", "B=2"])
        #expect(parsed.has("force"))
        #expect(parsed.passthrough == ["--port", "9000"])
    }

    @Test func everyCommandAcceptsHelp() throws {
        for command in CommandTable.commands {
            #expect(try ParsedArguments.parse(["--help"], for: command).wantsHelp, "\(command.name) --help")
        }
    }
}
