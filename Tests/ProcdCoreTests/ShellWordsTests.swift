import Testing

@testable import ProcdCore

@Suite struct ShellWordsTests {
    @Test(arguments: [
        ("", [String]()), ("   ", []), ("node app.js", ["node", "app.js"]), ("  a   b  ", ["a", "b"]),
        ("a\tb\nc", ["a", "b", "c"]), ("'a b' c", ["a b", "c"]), ("\"a b\" c", ["a b", "c"]),
        ("a'b c'd", ["ab cd"]), ("''", [""]), ("\"\"", [""]), ("a '' b", ["a", "", "b"]),
        ("a\\ b", ["a b"]), ("\\\\", ["\\"]), ("\\'x\\'", ["'x'"]), ("trailing\\", ["trailing\\"]),
        ("'a\\b'", ["a\\b"]), ("'a\\'", ["a\\"]), ("\"a\\\"b\"", ["a\"b"]), ("\"a\\\\b\"", ["a\\b"]),
        ("\"a\\b\"", ["a\\b"]), ("\"C:\\temp\\new\"", ["C:\\temp\\new"]), ("\"\\d+\"", ["\\d+"]),
        ("\"cost \\$5\"", ["cost $5"]), ("\"\\`x\\`\"", ["`x`"]), ("\"$HOME\"", ["$HOME"]), ("\"it's\"", ["it's"]),
        ("'say \"hi\"'", ["say \"hi\""]), ("--name=\"my app\" -x", ["--name=my app", "-x"]),
        ("python3 -c 'print(1)'", ["python3", "-c", "print(1)"]), ("日本 'é ü'", ["日本", "é ü"]),
    ])
    func splitsLikeAPosixShell(_ line: String, _ words: [String]) throws {
        #expect(try ShellWords.split(line) == words)
    }

    @Test(arguments: [("'abc", Character("'")), ("\"abc", "\""), ("a 'b\" c", "'"), ("a \"b' c", "\""), ("\"a\\\"", "\"")])
    func reportsAnUnterminatedQuote(_ line: String, _ quote: Character) {
        #expect(throws: ShellWords.Failure.unterminatedQuote(quote)) { try ShellWords.split(line) }
    }

    @Test(arguments: [
        ("node app.js", false), ("python3 -m http.server 8000", false), ("a 'b c'", false), ("a=b c", false),
        ("a | b", true), ("a && b", true), ("a; b", true), ("a > out", true), ("a < in", true), ("echo $HOME", true),
        ("ls *.txt", true), ("ls file?", true), ("echo `date`", true), ("(a)", true), ("{a,b}", true), ("~/bin/x", true),
        ("sleep 1 &", true),
    ])
    func needsShellForShellSyntax(_ line: String, _ expected: Bool) {
        #expect(ShellWords.needsShell(line) == expected)
    }
}
