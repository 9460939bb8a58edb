import Testing

@testable import ProcdCore

@Suite struct DotEnvTests {
    private func parse(_ text: String) throws -> [[String]] {
        try DotEnv.parse(text).map { [$0.key, $0.value] }
    }

    @Test(arguments: [
        ("A=1", [["A", "1"]]), ("", []), ("\n\n", []),
        ("# comment\n\nA=1\n  # indented comment\n", [["A", "1"]]),
        ("export A=1", [["A", "1"]]), ("export  B=2", [["B", "2"]]), ("A = spaced ", [["A", "spaced"]]),
        ("  A=1", [["A", "1"]]), ("A=", [["A", ""]]), ("A=a=b", [["A", "a=b"]]), ("my.key-1_x=y", [["my.key-1_x", "y"]]),
        ("A=1\r\nB=2\r\n", [["A", "1"], ["B", "2"]]), ("A=1\nA=2", [["A", "1"], ["A", "2"]]),
        ("A=value # comment", [["A", "value"]]), ("A=value#not-a-comment", [["A", "value#not-a-comment"]]),
        ("A='single $X \\n # kept'", [["A", "single $X \\n # kept"]]), ("A=''", [["A", ""]]),
        ("A=\"line\\nnext\\ttab\\rcr\"", [["A", "line\nnext\ttab\rcr"]]), ("A=\"# not a comment\"", [["A", "# not a comment"]]),
        ("A=\"say \\\"hi\\\"\"", [["A", "say \"hi\""]]), ("A=\"back\\\\slash\"", [["A", "back\\slash"]]),
        ("A=\"ends in backslash\\\\\"", [["A", "ends in backslash\\"]]), ("A=\"it's\"", [["A", "it's"]]),
        ("A='say \"hi\"'", [["A", "say \"hi\""]]), ("A=\"x\" # trailing comment", [["A", "x"]]),
        ("A=\"unknown \\q escape\"", [["A", "unknown q escape"]]),
    ] as [(String, [[String]])])
    func parsesAssignments(_ text: String, _ expected: [[String]]) throws {
        #expect(try parse(text) == expected)
    }

    @Test(arguments: [
        ("A=1\nnot a pair", 2, "expected KEY=VALUE"), ("\n\n=1", 3, "invalid variable name ''"),
        ("BAD KEY=1", 1, "invalid variable name 'BAD KEY'"), ("A$=1", 1, "invalid variable name 'A$'"),
        ("A=\"open", 1, "unterminated \" quote"), ("# c\nA='open", 2, "unterminated ' quote"),
        ("A=\"escaped close \\\"", 1, "unterminated \" quote"), ("A=1\r\nB\r\n", 2, "expected KEY=VALUE"),
    ] as [(String, Int, String)])
    func reportsErrorsWithLineNumbers(_ text: String, _ line: Int, _ message: String) {
        #expect(throws: DotEnv.Failure(line: line, message: message)) { try DotEnv.parse(text) }
    }
}
