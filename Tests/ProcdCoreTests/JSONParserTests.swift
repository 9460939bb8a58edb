import Testing

@testable import ProcdCore

@Suite struct JSONParserTests {
    @Test(arguments: [
        ("null", JSON.null), ("true", .bool(true)), ("false", .bool(false)), ("\"\"", .string("")),
        ("\"hi\"", .string("hi")), ("[]", .array([])), ("{}", .object([:])), (" \t\r\n 7 \n", .number(7)),
        ("[1, \"a\", null, true, [false], {}]", .array([.int(1), .string("a"), .null, .bool(true), .array([.bool(false)]), .object([:])])),
        ("{\"a\": {\"b\": [1, 2]}, \"c\": \"d\"}", .object(["a": .object(["b": .array([.int(1), .int(2)])]), "c": .string("d")])),
        ("{ \"k\" : 1 , \"k\" : 2 }", .object(["k": .int(2)])),
        ("\"日本 é\"", .string("日本 é")),
    ])
    func parsesValidDocuments(_ text: String, _ expected: JSON) throws {
        #expect(try JSONParser.parse(text) == expected)
        #expect(try JSONParser.parse(bytes: Array(text.utf8)) == expected)
    }

    @Test(arguments: [
        ("0", 0.0), ("-0", 0), ("12", 12), ("-12.75", -12.75), ("0.1", 0.1), ("12.5e2", 1250), ("1E-2", 0.01),
        ("1e+2", 100), ("2E2", 200), ("123456789012", 123_456_789_012), ("9007199254740993", 9_007_199_254_740_992),
        ("1.7976931348623157e308", .greatestFiniteMagnitude), ("5e-324", .leastNonzeroMagnitude), ("1e-400", 0),
    ])
    func parsesNumbers(_ text: String, _ expected: Double) throws {
        #expect(try JSONParser.parse(text) == .number(expected))
    }

    @Test(arguments: [
        ("\"\\\"\\\\\\/\\b\\f\\n\\r\\t\"", "\"\\/\u{08}\u{0C}\n\r\t"),
        ("\"\\u0041\\u00e9\\u00E9\"", "Aéé"), ("\"\\u0000\"", "\u{0}"), ("\"a\\u20ACb\"", "a€b"),
        ("\"\\ud83d\\ude00\"", "😀"), ("\"\\uD83D\\uDE00!\"", "😀!"), ("\"\\uDBFF\\uDFFF\"", "\u{10FFFF}"),
        ("\"x\\uD800\\uDC00y\"", "x\u{10000}y"),
    ])
    func decodesEscapesAndSurrogatePairs(_ text: String, _ expected: String) throws {
        #expect(try JSONParser.parse(text) == .string(expected))
    }

    @Test func keepsKeyOrder() throws {
        let object = try JSONParser.parse("{\"b\":1,\"a\":2,\"c\":3}").objectValue
        #expect(object?.keys == ["b", "a", "c"])
    }

    @Test(arguments: [
        ("", "unexpected end of input", 1, 1), ("   ", "unexpected end of input", 1, 4),
        ("[", "unexpected end of input", 1, 2), ("{", "expected a string key", 1, 2),
        ("[1", "unexpected end of input in an array", 1, 3), ("{\"a\":1", "unexpected end of input in an object", 1, 7),
        ("[1,]", "unexpected character ']'", 1, 4), ("[1 2]", "expected ',' or ']' in an array", 1, 4),
        ("{\"a\" 1}", "expected ':' after key", 1, 6), ("{\"a\":1 \"b\":2}", "expected ',' or '}' in an object", 1, 8),
        ("{,}", "expected a string key", 1, 2), ("{1:2}", "expected a string key", 1, 2),
        ("{\"a\":}", "unexpected character '}'", 1, 6), ("{\"a\":1,}", "expected a string key", 1, 8),
        ("tru", "invalid literal, expected 'true'", 1, 4), ("nulL", "invalid literal, expected 'null'", 1, 4),
        ("falsey", "unexpected text after the JSON value", 1, 6), ("'a'", "unexpected character '''", 1, 1),
        ("+1", "unexpected character '+'", 1, 1), ("\u{01}", "unexpected character '\\x1'", 1, 1),
        ("\u{0B}1", "unexpected character '\\xb'", 1, 1), ("[1]x", "unexpected text after the JSON value", 1, 4),
        ("01", "unexpected text after the JSON value", 1, 2), ("-", "invalid number", 1, 2),
        ("-a", "invalid number", 1, 2), (".5", "unexpected character '.'", 1, 1),
        ("1.", "invalid number: digits expected after '.'", 1, 3),
        ("1e", "invalid number: digits expected in the exponent", 1, 3),
        ("1e+", "invalid number: digits expected in the exponent", 1, 4), ("1e400", "number out of range", 1, 6),
        ("-1e400", "number out of range", 1, 7), ("NaN", "unexpected character 'N'", 1, 1),
        ("\"abc", "unterminated string", 1, 5), ("\"abc\\", "unterminated escape", 1, 6),
        ("\"a\tb\"", "control character in a string", 1, 3), ("\"a\nb\"", "control character in a string", 1, 3),
        ("\"a\\qb\"", "invalid escape '\\q'", 1, 5), ("\"\\u12G4\"", "invalid hex digit in \\u escape", 1, 6),
        ("\"\\u12\"", "incomplete \\u escape", 1, 4), ("\"\\uD800\"", "unpaired surrogate in \\u escape", 1, 8),
        ("\"\\uDC00\"", "unpaired surrogate in \\u escape", 1, 8),
        ("\"\\uD800\\u0041\"", "unpaired surrogate in \\u escape", 1, 14),
        ("\"\\uD800x\"", "unpaired surrogate in \\u escape", 1, 8),
        ("{\n  \"a\": 1,\n  \"b\": ?\n}", "unexpected character '?'", 3, 8),
        ("[\n\n\n]]", "unexpected text after the JSON value", 4, 2), ("[\"é\", x]", "unexpected character 'x'", 1, 7),
    ])
    func reportsErrorsWithLineAndColumn(_ text: String, _ message: String, _ line: Int, _ column: Int) {
        #expect(throws: JSONParser.Failure(message: message, line: line, column: column)) {
            try JSONParser.parse(text)
        }
    }

    @Test func failureDescriptionNamesThePlace() {
        let failure = JSONParser.Failure(message: "unterminated string", line: 2, column: 3)
        #expect(failure.description == "line 2, column 3: unterminated string")
    }

    @Test(arguments: [
        [0x22, 0xC3, 0x28, 0x22], [0x22, 0x80, 0x22], [0x22, 0xC0, 0xAF, 0x22], [0x22, 0xE2, 0x82, 0x22],
        [0x22, 0xED, 0xA0, 0x80, 0x22], [0x22, 0xF4, 0x90, 0x80, 0x80, 0x22], [0x22, 0x61, 0xFF, 0x22],
    ] as [[UInt8]])
    func rejectsInvalidUTF8InStrings(_ bytes: [UInt8]) {
        #expect {
            try JSONParser.parse(bytes: bytes)
        } throws: { error in
            (error as? JSONParser.Failure)?.message == "invalid UTF-8 in a string"
        }
    }

    @Test func rejectsInvalidUTF8BeforeAnEscape() {
        #expect(throws: JSONParser.Failure.self) { try JSONParser.parse(bytes: [0x22, 0xFF, 0x5C, 0x6E, 0x22]) }
        #expect(throws: JSONParser.Failure(message: "unexpected character '\\xff'", line: 1, column: 1)) {
            try JSONParser.parse(bytes: [0xFF])
        }
    }

    @Test(arguments: ["[", "{\"a\":"])
    func nestingIsLimitedTo256Levels(_ opener: String) throws {
        func nested(_ depth: Int) -> String {
            let close = opener == "[" ? "]" : "}"
            return String(repeating: opener, count: depth) + "1" + String(repeating: close, count: depth)
        }
        var value = try JSONParser.parse(nested(JSONParser.maxDepth))
        var depth = 0
        while let inner = value.arrayValue?.first ?? value["a"] {
            value = inner
            depth += 1
        }
        #expect(depth == 256)
        #expect(value == .int(1))
        #expect {
            try JSONParser.parse(nested(JSONParser.maxDepth + 1))
        } throws: { error in
            (error as? JSONParser.Failure)?.message == "nesting deeper than 256 levels"
        }
    }

    @Test func hostileDepthFailsWithoutExhaustingTheStack() {
        let text = String(repeating: "[", count: 1_000_000)
        #expect(throws: JSONParser.Failure(message: "nesting deeper than 256 levels", line: 1, column: 257)) {
            try JSONParser.parse(text)
        }
    }
}
