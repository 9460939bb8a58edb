import Testing

@testable import ProcdCore

/// Refused documents: where the error points, and that it says what to do.
@Suite struct YAMLErrorTests {
    private func failure(_ yaml: String) -> YAMLError? {
        do {
            _ = try YAML.parse(yaml, file: "eco.yaml")
            return nil
        } catch {
            return error
        }
    }

    @Test(arguments: [
        ("apps:\n\t- a\n", 2, 1, "tab characters cannot indent YAML; use spaces"),
        ("a: 1\na: 2\n", 2, 1, "the key 'a' appears twice"),
        ("{a: 1, a: 2}", 1, 8, "the key 'a' appears twice"),
        ("a: 1\n---\nb: 2\n", 2, 1, "a second YAML document starts here"),
        ("a: 1\n...\nb: 2\n", 3, 1, "a second YAML document starts here"),
        ("a: b: c\n", 1, 5, "a value cannot hold 'key: value' on the same line"),
        ("a: - b\n", 1, 4, "a sequence cannot start on the line of its key"),
        ("a:\n  b: 1\n   c: 2\n", 3, 4, "indented more than the keys of its mapping"),
        ("- 'a'\n  - b\n", 2, 3, "indented more than the '- ' entries"),
        ("apps:\n  - name: a\n    script\n", 3, 11, "expected ':' after 'script'"),
        ("a: *nothing\n", 1, 4, "the alias '*nothing' has no anchor before it"),
        ("a: \"open\n", 1, 4, "this double-quoted string is not closed"),
        ("a: 'open\n", 1, 4, "this single-quoted string is not closed"),
        ("a: [1, 2\n", 1, 4, "this '[' is not closed"),
        ("a: {x: 1\n", 1, 4, "this '{' is not closed"),
        ("a: [\"x\" 1]\n", 1, 9, "expected ',' or ']'"),
        ("a: \"\\q\"\n", 1, 5, "'\\q' is not a YAML escape"),
        ("a: \"\\u12\"\n", 1, 5, "needs 4 hexadecimal digits"),
        ("a: |x\n", 1, 5, "a block scalar starts with | or >"),
        ("a: @home\n", 1, 4, "'@' is reserved in YAML"),
        ("? a\n: b\n", 1, 1, "explicit keys ('? key') are not supported"),
        ("[a]: b\n", 1, 1, "a mapping key must be a scalar"),
        ("x:\n  {a: 1}: b\n", 2, 3, "a mapping key must be a scalar"),
        ("a: !!int nope\n", 1, 4, "'nope' is not a valid int"),
        ("a: x\n<<: 3\n", 2, 1, "a merge key '<<' takes a mapping"),
        ("{" + String(repeating: "k", count: 1025) + ": 1}", 1, 2, "a key is longer than 1024 bytes"),
        ("- " + String(repeating: "k", count: 1025) + ": 1", 1, 3, "a key is longer than 1024 bytes"),
        ("a: \"x\"#c\n", 1, 7, "a comment needs a space before '#'"),
        ("a: 'x'\n b\n", 2, 2, "indented more than the keys of its mapping"),
        ("a: \"x\" y\n", 1, 8, "unexpected text after the value"),
        ("a: 1\nb: \u{7}\n", 2, 4, "control character U+0007 is not allowed"),
        ("%YAML 1.2\na: 1\n", 2, 1, "directives must be followed by '---'"),
        ("a:\n  - b\n c: d\n", 3, 2, "indented more than the keys of its mapping (column 1)"),
        ("  a: 1\nb: 2\n", 2, 1, "this line does not fit the structure above it"),
    ])
    func pointsAtTheProblem(_ yaml: String, _ line: Int, _ column: Int, _ message: String) throws {
        let error = try #require(failure(yaml), "accepted: \(yaml)")
        #expect(error.message.contains(message), "\(error)")
        #expect((error.line, error.column) == (line, column), "\(error)")
        #expect(error.description.hasPrefix("eco.yaml:\(line):\(column): "), "\(error)")
    }

    @Test func showsTheLineAndACaret() throws {
        let error = try #require(failure("apps:\n  - name: api\n\t  script: x\n"))
        #expect(error.description == """
            eco.yaml:3:1: tab characters cannot indent YAML; use spaces
              \t  script: x
              ^
            """)
        let later = try #require(failure("name: \"café\" x\n"))
        #expect(later.column == 14)
        #expect(later.description.hasSuffix("\n  name: \"café\" x\n               ^"))
    }

    @Test func refusesInvalidUTF8() throws {
        do {
            _ = try YAML.load(bytes: Array("a: ok\nb: ".utf8) + [0xC3, 0x28], file: "eco.yaml")
            Issue.record("accepted invalid UTF-8")
        } catch {
            #expect(error.message.contains("not valid UTF-8") && error.line == 2 && error.column == 4, "\(error)")
        }
    }

    @Test func boundsNestingAndSize() throws {
        let deep = String(repeating: "[", count: 300) + String(repeating: "]", count: 300)
        #expect(failure(deep)?.message.contains("nested deeper than 256") == true)
        let deepBlock = (0..<300).map { String(repeating: " ", count: $0) + "k:" }.joined(separator: "\n")
        #expect(failure(deepBlock)?.message.contains("nested deeper than 256") == true)
        var limits = YAML.Limits()
        limits.maxBytes = 1 << 20
        #expect(throws: YAMLError.self) { try YAML.load(bytes: Array(repeating: UInt8(ascii: "a"), count: 2 << 20), file: "big.yaml", limits: limits) }
    }

    @Test(.timeLimit(.minutes(1)))
    func refusesABillionLaughsQuickly() throws {
        var lines = ["a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
        for level in 1...9 {
            let refs = Array(repeating: "*a\(level - 1)", count: 10).joined(separator: ", ")
            lines.append("a\(level): &a\(level) [\(refs)]")
        }
        let start = ContinuousClock.now
        let error = try #require(failure(lines.joined(separator: "\n") + "\n"))
        let elapsed = ContinuousClock.now - start
        #expect(error.message.contains("billion laughs"), "\(error)")
        #expect(error.line == 6, "\(error)")
        print("billion laughs refused in \(elapsed)")
    }
}
