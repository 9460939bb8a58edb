import Testing

@testable import ProcdCore

@Suite struct JSONWriterTests {
    @Test(arguments: [
        (JSON.null, "null"), (.bool(true), "true"), (.bool(false), "false"), (.int(0), "0"), (.int(-42), "-42"),
        (.number(-0.0), "0"), (.number(1.5), "1.5"), (.number(0.1), "0.1"), (.number(1e20), "1e+20"),
        (.number(123_456_789_012_345), "123456789012345"), (.number(.nan), "null"), (.number(.infinity), "null"),
        (.number(-.infinity), "null"), (.string("a"), "\"a\""), (.array([]), "[]"), (.object([:]), "{}"),
        (.array([.int(1), .null, .string("x")]), "[1,null,\"x\"]"),
        (.object(["b": .int(1), "a": .array([.bool(true)])]), "{\"b\":1,\"a\":[true]}"),
    ])
    func writesCompactly(_ value: JSON, _ expected: String) {
        #expect(value.serialized() == expected)
    }

    @Test func writesIndentedForPeople() {
        let value: JSON = .object(["name": .string("web"), "ports": .array([.int(80), .int(443)]), "env": .object([:]), "tags": .array([])])
        #expect(value.serialized(pretty: true) == """
            {
              "name": "web",
              "ports": [
                80,
                443
              ],
              "env": {},
              "tags": []
            }
            """)
        #expect(JSON.int(3).serialized(pretty: true) == "3")
    }

    @Test(arguments: [
        ("\"", "\\\""), ("\\", "\\\\"), ("\n", "\\n"), ("\r", "\\r"), ("\t", "\\t"), ("\u{0}", "\\u0000"),
        ("\u{01}", "\\u0001"), ("\u{08}", "\\u0008"), ("\u{0C}", "\\u000c"), ("\u{1F}", "\\u001f"), ("/", "/"),
        ("\u{7F}", "\u{7F}"), ("é", "é"), ("😀", "😀"), ("\u{2028}", "\u{2028}"), ("a\"b\\c", "a\\\"b\\\\c"),
    ])
    func escapesStrings(_ text: String, _ escaped: String) {
        #expect(JSON.string(text).serialized() == "\"\(escaped)\"")
    }

    @Test func noControlCharacterOrNewlineSurvivesRaw() {
        let every = String(String.UnicodeScalarView((0..<0x80).compactMap(Unicode.Scalar.init)))
        let line = JSON.object([every: .string(every)]).serialized()
        #expect(!line.unicodeScalars.contains { $0.value < 0x20 })
    }

    static let samples: [JSON] = [
        .null, .bool(false), .int(0), .int(-1), .number(0.1), .number(-123.456), .number(1e-7), .number(1e300),
        .number(.leastNonzeroMagnitude), .number(.greatestFiniteMagnitude), .number(2.5e15), .number(-9_007_199_254_740_991),
        .string(""), .string(String(String.UnicodeScalarView((0..<0x80).compactMap(Unicode.Scalar.init)))),
        .string("日本語 😀 \u{10FFFF} \u{FEFF}"), .array([.array([.array([])]), .object([:])]),
        .object(["z": .int(1), "a": .object(["nested": .array([.string("x\ny"), .null])]), "": .bool(true)]),
    ]

    @Test(arguments: samples)
    func roundTripsThroughTheParser(_ value: JSON) throws {
        #expect(try JSONParser.parse(value.serialized()) == value)
        #expect(try JSONParser.parse(value.serialized(pretty: true)) == value)
    }

    @Test func roundTripKeepsKeyOrder() throws {
        let value: JSON = .object(["z": .int(1), "a": .int(2), "m": .int(3)])
        let back = try JSONParser.parse(value.serialized())
        #expect(back.objectValue?.keys == ["z", "a", "m"])
        #expect(back.serialized() == value.serialized())
    }

    @Test func compactOutputIsOneLine() {
        let value: JSON = .object(["a": .array([.string("x\ny"), .object(["b": .null])])])
        #expect(!value.serialized().contains("\n"))
    }

    @Test(arguments: samples)
    func bytesAreTheStringsUTF8(_ value: JSON) {
        #expect(value.serializedBytes() == Array(value.serialized().utf8))
        #expect(value.serializedBytes(pretty: true) == Array(value.serialized(pretty: true).utf8))
    }
}
