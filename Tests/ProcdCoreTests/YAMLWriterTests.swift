import Testing

@testable import ProcdCore

/// What `yamlText()` writes, and that the YAML parser reads it back as the same value.
@Suite struct YAMLWriterTests {
    @Test func writesBlockStyle() {
        let value: JSON = .object([
            "apps": .array([
                .object(["name": .string("api"), "args": .array([.string("--port"), .string("80")]), "env": .object(["A": .string("1")])]),
                .object(["name": .string("web"), "instances": .int(2), "watch": .array([]), "env": .object([:])]),
            ]),
        ])
        #expect(value.yamlText() == """
            apps:
              - name: api
                args:
                  - --port
                  - "80"
                env:
                  A: "1"
              - name: web
                instances: 2
                watch: []
                env: {}

            """)
    }

    @Test(arguments: [
        "", " lead", "trail ", "yes", "No", "on", "OFF", "y", "~", "null", "true", "12", "1.5", "0x1F", "1_000", "1:30", "-",
        "- item", "? q", ": c", "a: b", "a #b", "#c", "&a", "*a", "!t", "|", ">", "'q", "\"q", "%d", "@at", "`b`", "[x]", "{x}",
        ",x", "line\nbreak", "tab\there", "nul\u{0}", "bell\u{7}", "del\u{7F}", "nel\u{85}", "ls\u{2028}", "bom\u{FEFF}",
        "back\\slash", "quote\"d", "caf\u{E9}", "😀", "ends:", "./server.js", "-v", "--port", ":x", "?x", "http://x:80/a#b",
        "YYYY-MM-DD HH:mm Z", ".inf", "-.5", ".nan", "+1", "0o17", "2fa", "--- $-da", "...x", "---", "<<",
    ])
    func stringsReadBackUnchanged(_ text: String) throws {
        let value: JSON = .object(["key": .string(text), text: .array([.string(text)])])
        let yaml = value.yamlText()
        #expect(try YAML.parse(yaml, file: "w.yaml") == value, "\(yaml)")
    }

    @Test(arguments: [
        JSON.null, .bool(true), .bool(false), .int(0), .int(-42), .number(1.5), .number(1e300), .number(.infinity), .number(-.infinity),
        .string("plain"), .array([]), .object([:]), .array([.array([.int(1), .array([.int(2)])]), .object(["a": .object(["b": .null])])]),
    ])
    func valuesReadBackUnchanged(_ value: JSON) throws {
        for document in [value, .object(["v": value]), .array([value])] {
            let yaml = document.yamlText()
            #expect(try YAML.parse(yaml, file: "w.yaml") == document, "\(yaml)")
        }
    }

    @Test func keepsWhatEveryReaderAgreesOnPlain() {
        #expect(JSON.string("./services/api.js").yamlText() == "./services/api.js\n")
        #expect(JSON.string("yes").yamlText() == "\"yes\"\n")
        #expect(JSON.string("a\tb\u{7}").yamlText() == "\"a\\tb\\x07\"\n")
    }
}
