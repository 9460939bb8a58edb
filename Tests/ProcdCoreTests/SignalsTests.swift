import Testing

@testable import ProcdCore

@Suite struct SignalsTests {
    @Test(arguments: [
        ("SIGTERM", Int32(15)), ("TERM", 15), ("sigterm", 15), ("term", 15), ("SigInt", 2), ("15", 15),
        ("9", 9), ("KILL", 9), ("SIGHUP", 1), ("usr1", 10), ("USR2", 12), ("SIGSYS", 31), ("64", 64), ("1", 1),
    ])
    func parsesNamesAndNumbers(_ text: String, _ expected: Int32) {
        #expect(Signals.number(named: text) == expected)
    }

    @Test(arguments: ["", "0", "65", "-9", "SIG", "SIGFOO", "FOO", "SIGTERMX", "SIG15", " TERM", "TERM "])
    func rejectsWhatNamesNoSignal(_ text: String) {
        #expect(Signals.number(named: text) == nil)
    }

    @Test(arguments: [(Int32(9), "SIGKILL"), (15, "SIGTERM"), (17, "SIGCHLD"), (42, "SIG42"), (0, "SIG0")])
    func namesNumbers(_ number: Int32, _ expected: String) {
        #expect(Signals.name(of: number) == expected)
    }

    @Test func everyNameRoundTrips() {
        #expect(Signals.table.count == 31)
        #expect(Set(Signals.table.map(\.name)).count == Signals.table.count)
        #expect(Signals.table.map(\.number) == Array(1...31))
        for (name, number) in Signals.table {
            #expect(Signals.number(named: name) == number)
            #expect(Signals.number(named: String(name.dropFirst(3)).lowercased()) == number)
            #expect(Signals.name(of: number) == name)
        }
        #expect(Signals.kill == 9)
        #expect(Signals.term == 15)
    }
}
