import Testing

@testable import ProcctlKit

/// Every command has its handler and its spec by construction (switches over
/// `CommandName`); what the compiler cannot see is checked here: names and aliases.
@Suite struct CommandNameTests {
    @Test(arguments: CommandName.allCases)
    func eachCommandIsFoundByItsNameAndAliases(_ command: CommandName) {
        #expect(command.spec.name == command.rawValue)
        for name in [command.rawValue] + command.spec.aliases {
            #expect(CommandTable.command(named: name) == command, "'\(name)'")
            #expect(CommandTable.find(name)?.name == command.rawValue, "'\(name)'")
        }
    }

    @Test func noNameOrAliasIsTakenTwice() {
        let names = CommandName.allCases.flatMap { [$0.rawValue] + $0.spec.aliases }
        #expect(Set(names).count == names.count, "\(names.sorted())")
    }

    @Test func anUnknownNameIsNoCommand() {
        #expect(CommandTable.command(named: "lst") == nil)
        #expect(CommandTable.command(named: "") == nil)
    }
}
