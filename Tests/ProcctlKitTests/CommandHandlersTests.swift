import Testing

@testable import ProcctlKit

@Suite struct CommandHandlersTests {
    @Test(arguments: CommandTable.commands.map(\.name))
    func everyCommandHasAHandler(_ name: String) {
        #expect(Procctl.handlers[name] != nil, "'\(name)' has no handler")
    }

    @Test func everyHandlerIsForACommand() {
        let names = Set(CommandTable.commands.map(\.name))
        let strays = Set(Procctl.handlers.keys).subtracting(names)
        #expect(strays.isEmpty, "handlers for no command: \(strays.sorted())")
    }
}
