import Testing

@testable import ProcctlKit
import ProcdCore

/// Every attribute of the table, through every way in: its option, a file, the wire;
/// and every option where the user looks for it.
@Suite struct AttributeTableTests {
    static let cwd = "/srv/app"
    static var withOptions: [String] { AppAttributes.all.filter { $0.flag != nil }.map(\.key) }
    static var keys: [String] { AppAttributes.all.map(\.key) }

    static func blank() -> AppSpec { AppSpec(name: "app", command: ["/bin/true"], cwd: cwd) }

    /// The words that give `example` to the option.
    static func words(_ flag: CommandLineFlag, _ example: JSON) -> [String] {
        guard flag.valueName != nil else { return ["--" + flag.long] }
        let texts: [String] = switch example {
        case .array(let items): flag.repeatable ? items.map(text) : [items.map(text).joined(separator: ",")]
        default: [text(example)]
        }
        return texts.flatMap { ["--" + flag.long, $0] }
    }

    static func text(_ value: JSON) -> String { value.stringValue ?? value.serialized() }

    @Test(arguments: withOptions)
    func anOptionSetsWhatTheFileSetsAndTheSpecKeepsItOnTheWire(_ key: String) throws {
        let attribute = try #require(AppAttributes.named(key))
        let flag = try #require(attribute.flag)
        if flag.valueName == nil { #expect(flag.setting == attribute.example, "a switch's example is what it sets") }
        let parsed = try ParsedArguments.parse(["app.js"] + Self.words(flag, attribute.example), for: CommandName.start.spec)
        var fromOption = Self.blank()
        try StartCommand(arguments: parsed, cwd: Self.cwd).apply(to: &fromOption)
        #expect(attribute.isSet(in: fromOption), "--\(flag.long) left \(key) at its default")
        var fromFile = Self.blank()
        try attribute.read(attribute.example, from: .file, into: &fromFile)
        #expect(fromOption == fromFile)
        #expect(try AppSpec(json: fromOption.json) == fromOption)
    }

    @Test(arguments: keys)
    func aFileEntrySetsItUnderItsKeyAndEachAlias(_ key: String) throws {
        let attribute = try #require(AppAttributes.named(key))
        var specs: [AppSpec] = []
        for name in [key] + attribute.aliases {
            let entry: JSON = ["script": "app.js", "name": "app", name: attribute.example]
            let loaded = try Ecosystem.load(entry, file: "eco.json")
            var spec = try #require(loaded.drafts.first).template
            (spec.name, spec.command, spec.cwd) = ("app", ["/bin/true"], Self.cwd)
            #expect(attribute.isSet(in: spec), "'\(name)' left \(key) at its default")
            #expect(loaded.warnings.isEmpty)
            #expect(try AppSpec(json: spec.json) == spec)
            specs.append(spec)
        }
        #expect(Set(specs.map { $0.json.serialized() }).count == 1, "an alias of \(key) reads differently")
    }

    /// What the wire carries is what the file said, and reads back the same.
    @Test(arguments: keys)
    func theWireFormReadsBack(_ key: String) throws {
        let attribute = try #require(AppAttributes.named(key))
        var spec = Self.blank()
        try attribute.read(attribute.example, from: .file, into: &spec)
        let written = try #require(attribute.value(in: spec))
        var back = Self.blank()
        try attribute.read(written, from: .wire, into: &back)
        #expect(back == spec)
    }

    @Test func keysAliasesAndOptionsAreEachTakenOnce() {
        let names = AppAttributes.all.flatMap { [$0.key] + $0.aliases } + AppAttributes.draft.flatMap { [$0.key] + $0.aliases }
        #expect(names.count == Set(names).count)
        let options = CommandName.start.spec.options.map(\.long)
        #expect(options.count == Set(options).count)
        let shorts = CommandName.start.spec.options.compactMap(\.short)
        #expect(shorts.count == Set(shorts).count)
    }

    /// Every option of an attribute is in `procctl start --help`, the man page and the
    /// three completions.
    @Test func everyOptionIsDocumentedAndCompleted() {
        let flags = (AppAttributes.all.compactMap(\.flag) + AppAttributes.draft.compactMap(\.flag)).map(\.long)
        let help = Help.text(for: CommandName.start.spec)
        let man = ManPage.procctl()
        let (bash, zsh, fish) = (Completions.bash(), Completions.zsh(), Completions.fish())
        for long in flags {
            #expect(help.contains("--" + long), "start --help lacks --\(long)")
            #expect(man.contains("Fl \\-" + long), "procctl(1) lacks --\(long)")
            #expect(bash.contains("--" + long), "the bash completion lacks --\(long)")
            #expect(zsh.contains("--" + long + "=") || zsh.contains("--" + long + "["), "the zsh completion lacks --\(long)")
            #expect(fish.contains("-l " + long), "the fish completion lacks --\(long)")
        }
    }

    /// Each attribute has a row in its `describe` section, unless the process shows it.
    @Test func everyAttributeHasALabelAndALineOfDocumentation() {
        for attribute in AppAttributes.all {
            #expect(!attribute.label.isEmpty && !attribute.summary.isEmpty, "\(attribute.key)")
        }
        let labels = AppAttributes.all.map(\.label)
        #expect(labels.count == Set(labels).count)
    }
}
