import Testing

@testable import ProcdWire

@Suite struct CommandsTests {
    @Test func commandNamesAreStable() {
        #expect(WireCommand.allCases.map(\.rawValue) == [
            "ping", "version", "kill", "start", "stop", "restart", "reload", "delete", "reset", "list", "describe",
            "signal", "env", "log_paths", "logs", "flush", "scale", "send", "save", "resurrect", "update", "reload_logs",
            "events", "metrics", "web",
        ])
        #expect(WireCommand(rawValue: "log_paths") == .logPaths)
        #expect(WireCommand(rawValue: "logPaths") == nil)
    }

    @Test func versionIsSemantic() {
        let parts = ProcdVersion.current.split(separator: ".", omittingEmptySubsequences: false)
        #expect(parts.count == 3)
        #expect(parts.allSatisfy { !$0.isEmpty && $0.allSatisfy(\.isNumber) })
    }
}
