import Testing

@testable import ProcdCore

@Suite struct AppDraftTests {
    @Test(arguments: [
        (String?.none, 4, 1), ("", 4, 1), ("3", 4, 3), (" 2 ", 4, 2), ("max", 4, 4), ("0", 4, 4), ("-1", 4, 3),
        ("-1", 1, 1), ("max", 0, 1), ("100000", 2, 100_000),
    ] as [(String?, Int, Int)])
    func instanceCountResolvesAgainstTheCPUs(_ text: String?, _ cpus: Int, _ expected: Int) throws {
        var draft = AppDraft(script: "a.js")
        draft.instances = text
        #expect(try draft.instanceCount(cpus: cpus).get() == expected)
    }

    @Test(arguments: ["-2", "100001", "many", "1.5"])
    func instanceCountRejectsTheRest(_ text: String) {
        var draft = AppDraft(script: "a.js")
        draft.instances = text
        #expect(throws: SpecError(field: "instances", message: "expected a number, \"max\" or -1, got \(text)")) {
            try draft.instanceCount(cpus: 4).get()
        }
    }
}
