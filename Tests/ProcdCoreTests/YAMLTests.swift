import Testing

@testable import ProcdCore

/// Documents and the JSON they read as. Cases marked with a yaml-test-suite id are
/// reduced from that suite's case.
@Suite struct YAMLTests {
    private func expectYAML(_ yaml: String, _ json: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let parsed = try YAML.parse(yaml, file: "t.yaml")
        #expect(parsed == (try JSONParser.parse(json)), "got \(parsed.serialized())", sourceLocation: sourceLocation)
    }

    @Test(arguments: [
        ("a: 1\nb: two\n", #"{"a":1,"b":"two"}"#),
        ("a:\n  b:\n    c: d\n", #"{"a":{"b":{"c":"d"}}}"#),
        ("- a\n- b\n", #"["a","b"]"#),
        ("apps:\n- name: a\n- name: b\nnext: 1\n", #"{"apps":[{"name":"a"},{"name":"b"}],"next":1}"#),
        ("apps:\n  - script: a.js\n    name: a\n  - script: b.js\n", #"{"apps":[{"script":"a.js","name":"a"},{"script":"b.js"}]}"#),
        ("- - a\n  - b\n- c\n", #"[["a","b"],"c"]"#),
        ("-\n  a: 1\n-\n", #"[{"a":1},null]"#),
        ("key:\n", #"{"key":null}"#),
        ("a: b  # comment\n# full line\nc: d\n", #"{"a":"b","c":"d"}"#),
        ("url: http://x.org/a#b\n", #"{"url":"http://x.org/a#b"}"#),
        ("key: 'a: b'\n", #"{"key":"a: b"}"#),
        ("  indented: 1\n  too: 2\n", #"{"indented":1,"too":2}"#),
        ("a: 1\r\nb:\r\n  - x\r\n", #"{"a":1,"b":["x"]}"#),
        ("\u{FEFF}a: 1\n", #"{"a":1}"#),
        ("", "null"),
        ("# only a comment\n", "null"),
        ("---\na: 1\n...\n", #"{"a":1}"#),
        ("--- text\n", #""text""#),
        ("%YAML 1.2\n---\n[1]\n", "[1]"),
        ("\"quoted key\": 1\n'single': 2\n", #"{"quoted key":1,"single":2}"#),
        ("1: a\ntrue: b\n~: c\n", #"{"1":"a","true":"b","~":"c"}"#),
        ("key:    value with  spaces   \n", #"{"key":"value with  spaces"}"#),
        ("- a\tb\n", #"["a\tb"]"#),
        ("a:\tb\n", #"{"a":"b"}"#),
    ])
    func blockCollections(_ yaml: String, _ json: String) throws { try expectYAML(yaml, json) }

    @Test(arguments: [
        ("[a, b, c]", #"["a","b","c"]"#),
        ("[]", "[]"),
        ("{}", "{}"),
        ("{a: 1, b: [x, y], c: {d: e}}", #"{"a":1,"b":["x","y"],"c":{"d":"e"}}"#),
        ("[a, b,]", #"["a","b"]"#),
        ("{a, b: 1}", #"{"a":null,"b":1}"#),
        ("[a: 1, b]", #"[{"a":1},"b"]"#),
        ("{\"a\":1, 'b':2}", #"{"a":1,"b":2}"#),
        ("[http://x:80/a, a:b]", #"["http://x:80/a","a:b"]"#),
        ("key: [\n  one,  # first\n  two\n]\n", #"{"key":["one","two"]}"#),
        ("[a\n  b, c]", #"["a b","c"]"#),
        ("args: ['--port', \"80\", 3]", #"{"args":["--port","80",3]}"#),
        ("{\"apps\": [{\"name\": \"json\", \"instances\": 2}]}", #"{"apps":[{"name":"json","instances":2}]}"#),
    ])
    func flowCollections(_ yaml: String, _ json: String) throws { try expectYAML(yaml, json) }

    @Test(arguments: [
        ("plain text\n", #""plain text""#),
        ("a: one\n  two\n\n  three\n", #"{"a":"one two\nthree"}"#),
        ("- one\n  - two\n", #"["one - two"]"#),
        ("'it''s'", #""it's""#),
        ("'one\n  two\n\n  three'", #""one two\nthree""#),
        ("'trailing   \n  next'", #""trailing next""#),
        (#""a\tb\n\"q\" \\ \/ \0 \x41 \u00e9 \U0001F600 \e \N \_ \L \P""#, #""a\tb\n\"q\" \\ / \u0000 A é 😀 \u001b \u0085 \u00a0 \u2028 \u2029""#),
        ("\"\\ud83d\\ude00\"", #""😀""#),
        ("\"joined\\\n   here\"", #""joinedhere""#),
        ("\"one\n  two\"", #""one two""#),
        ("\"kept\\t\n  x\"", #""kept\t x""#),
        ("\"tab\\\tinside\"", #""tab\tinside""#),
        ("\"5 trailing\t\n    tab\"", #""5 trailing tab""#),
    ])
    func scalars(_ yaml: String, _ json: String) throws { try expectYAML(yaml, json) }

    @Test(arguments: [
        ("a: |\n  one\n  two\n", #"{"a":"one\ntwo\n"}"#),
        ("a: |-\n  one\n\n", #"{"a":"one"}"#),
        ("a: |+\n  one\n\n\nb: 1\n", #"{"a":"one\n\n\n","b":1}"#),
        ("a: >\n  one\n  two\n\n  three\n", #"{"a":"one two\nthree\n"}"#),
        ("a: >\n  one\n    more\n  two\n", #"{"a":"one\n  more\ntwo\n"}"#),
        ("a: >-\n  folded\n  text\n", #"{"a":"folded text"}"#),
        ("a: |2\n    indented\n  base\n", #"{"a":"  indented\nbase\n"}"#),
        ("a: |-2\n   x\n", #"{"a":" x"}"#),
        ("a: |\n\n  after empty\n", #"{"a":"\nafter empty\n"}"#),
        ("- |\n  in a list\n- next\n", #"["in a list\n","next"]"#),
        ("a: |\n  # not a comment\n# a comment\nb: 2\n", ##"{"a":"# not a comment\n","b":2}"##),
        ("a: |\n  no break at end", #"{"a":"no break at end"}"#),
        ("a: |\nb: 1\n", #"{"a":"","b":1}"#),
        ("--- |\ntop level\n", #""top level\n""#),
        ("a: >\n\n  x\n   y\n\n  z\n", #"{"a":"\nx\n y\n\nz\n"}"#),
    ])
    func blockScalars(_ yaml: String, _ json: String) throws { try expectYAML(yaml, json) }

    @Test(arguments: [
        ("a: &x 1\nb: *x\n", #"{"a":1,"b":1}"#),
        ("base: &base\n  a: 1\n  b: 2\nchild:\n  <<: *base\n  b: 3\n", #"{"base":{"a":1,"b":2},"child":{"a":1,"b":3}}"#),
        ("x: &x {a: 1}\ny: &y {a: 2, b: 2}\nz:\n  <<: [*x, *y]\n", #"{"x":{"a":1},"y":{"a":2,"b":2},"z":{"a":1,"b":2}}"#),
        ("x: &x {a: 1}\nz:\n  a: 0\n  <<: *x\n", #"{"x":{"a":1},"z":{"a":0}}"#),
        ("- &list [1, 2]\n- *list\n", "[[1,2],[1,2]]"),
        ("&k key: v\nother: *k\n", #"{"key":"v","other":"key"}"#),
        ("a: &e\nb: *e\n", #"{"a":null,"b":null}"#),
        ("a: &m\n  x: 1\nb: *m\n", #"{"a":{"x":1},"b":{"x":1}}"#),
        ("k: &a name\n*a : 1\n", #"{"k":"name","name":1}"#),
        ("{<<: {a: 1}, b: 2}", #"{"a":1,"b":2}"#),
        ("\"<<\": {a: 1}", #"{"<<":{"a":1}}"#),
    ])
    func anchorsAliasesAndMerges(_ yaml: String, _ json: String) throws { try expectYAML(yaml, json) }

    @Test(arguments: [
        ("a: !!str 12\nb: !!int \"7\"\nc: ! 12\nd: !!float 1\ne: !!bool \"true\"\nf: !!null ''\n", #"{"a":"12","b":7,"c":"12","d":1,"e":true,"f":null}"#),
        ("a: !!map\n  b: 1\n", #"{"a":{"b":1}}"#),
        ("a: !<tag:yaml.org,2002:str> 3\n", #"{"a":"3"}"#),
    ])
    func coreTags(_ yaml: String, _ json: String) throws { try expectYAML(yaml, json) }

    @Test func keepsKeyOrder() throws {
        let object = try YAML.parse("z: 1\na: 2\nm: 3\nbase: &b {q: 1, r: 2}\nmerged:\n  y: 0\n  <<: *b\n", file: "t.yaml").objectValue
        #expect(object?.keys == ["z", "a", "m", "base", "merged"])
        #expect(object?["merged"]?.objectValue?.keys == ["y", "q", "r"])
    }

    @Test func warnsAboutIgnoredTagsAndOtherVersions() throws {
        let document = try YAML.load(bytes: Array("%YAML 1.1\n---\na: !custom 1\n".utf8), file: "t.yaml")
        #expect(document.value == .object(["a": .int(1)]))
        #expect(document.warnings.map(\.description) == [
            "t.yaml:1:1: the document declares YAML 1.1; procd reads it as YAML 1.2, where yes, no, on and off are strings",
            "t.yaml:3:4: the tag !custom is not supported; the value is read as if it had none",
        ])
    }

    @Test func readsWhatTheJSONParserReads() throws {
        let json = #"{"apps": [{"name": "a", "args": ["-x", 1, true, null], "env": {"K": "v \" \\ \u00e9"}}], "n": -1.5e3}"#
        #expect(try YAML.parse(json, file: "t.yaml") == (try JSONParser.parse(json)))
    }
}
