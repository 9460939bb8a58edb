import Testing

@testable import ProcctlKit

@Suite struct HelpTests {
    @Test func overviewFitsEightyColumnsAndNamesAliases() {
        let text = Help.overview()
        for line in text.split(separator: "\n") { #expect(line.count <= 80, "\(line.count) columns: \(line)") }
        for command in CommandTable.commands {
            #expect(text.contains(command.name), "\(command.name) missing")
            for alias in command.aliases { #expect(text.contains(alias), "alias \(alias) of \(command.name) missing") }
        }
    }

    @Test(arguments: CommandTable.commands.map(\.name))
    func commandHelpFitsEightyColumns(_ name: String) throws {
        let command = try #require(CommandTable.find(name))
        let text = Help.text(for: command)
        for line in text.split(separator: "\n") { #expect(line.count <= 80, "\(name): \(line.count) columns: \(line)") }
        for option in command.options { #expect(text.contains("--" + option.long), "\(name): --\(option.long) missing") }
        for alias in command.aliases { #expect(text.contains(alias)) }
    }

    @Test(arguments: [
        ("short words", 20, 2, "short words\n"),
        ("one two three four five six", 10, 2, "one two\n  three\n  four\n  five six\n"),
        ("averyveryverylongword x", 10, 0, "averyveryverylongword\nx\n"),
        ("    lead  two", 80, 4, "    lead  two\n"),
    ])
    func wrapsAtSpaces(_ text: String, _ width: Int, _ indent: Int, _ expected: String) {
        #expect(Help.wrap(text, indent: indent, width: width) == expected)
    }
}
