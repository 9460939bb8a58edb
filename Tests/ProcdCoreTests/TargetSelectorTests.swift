import Testing

@testable import ProcdCore

@Suite struct TargetSelectorTests {
    /// Two `web` instances, `api`, two apps in namespace `batch`, an app named like that
    /// namespace, and two apps in `prod`.
    static let entries: [TargetSelector.Entry] = [
        .init(id: 0, name: "web", namespace: "default"), .init(id: 1, name: "web", namespace: "default"),
        .init(id: 2, name: "api", namespace: "default"), .init(id: 3, name: "worker", namespace: "batch"),
        .init(id: 4, name: "mailer", namespace: "batch"), .init(id: 7, name: "batch", namespace: "other"),
        .init(id: 9, name: "cron", namespace: "prod"), .init(id: 12, name: "reports", namespace: "prod"),
    ]

    @Test(arguments: [
        (["0"], [0]), (["12"], [12]), (["web"], [0, 1]), (["api"], [2]), (["prod"], [9, 12]),
        (["batch"], [7]), (["all"], [0, 1, 2, 3, 4, 7, 9, 12]), (["api", "0"], [0, 2]), (["web", "0", "1"], [0, 1]),
        (["all", "web"], [0, 1, 2, 3, 4, 7, 9, 12]), (["reports", "worker", "web"], [0, 1, 3, 12]), ([], []),
    ] as [([String], [Int])])
    func selectsIdsInTableOrderEachOnce(_ targets: [String], _ ids: [Int]) throws {
        #expect(try TargetSelector.select(targets, from: Self.entries) == ids)
    }

    @Test func allOfNothingIsNothing() throws {
        #expect(try TargetSelector.select(["all"], from: []) == [])
    }

    @Test(arguments: [
        (["wbe"], "wbe", String?("web"), "no app or namespace named 'wbe' (did you mean 'web'?)"),
        (["prd"], "prd", "prod", "no app or namespace named 'prd' (did you mean 'prod'?)"),
        (["workers"], "workers", "worker", "no app or namespace named 'workers' (did you mean 'worker'?)"),
        (["zzzzzz"], "zzzzzz", nil, "no app or namespace named 'zzzzzz'"),
        (["42"], "42", nil, "no process with id 42"),
        (["web", "nope"], "nope", nil, "no app or namespace named 'nope'"),
        (["WEB"], "WEB", nil, "no app or namespace named 'WEB'"),
    ] as [([String], String, String?, String)])
    func unknownTargetsNameTheTargetAndSuggest(_ targets: [String], _ target: String, _ suggestion: String?, _ message: String) {
        #expect(throws: TargetSelector.Unknown(target: target, suggestion: suggestion)) {
            try TargetSelector.select(targets, from: Self.entries)
        }
        #expect(TargetSelector.Unknown(target: target, suggestion: suggestion).message == message)
    }

    @Test(arguments: [
        ("wbe", ["web", "api"], String?("web")), ("apii", ["api"], "api"), ("abc", ["xyz"], nil), ("x", [], nil),
        ("web", ["web1", "webby"], "web1"), ("a", ["b"], "b"),
    ] as [(String, [String], String?)])
    func closestWithinTwoEdits(_ word: String, _ candidates: [String], _ expected: String?) {
        #expect(TargetSelector.closest(to: word, in: candidates) == expected)
    }

    @Test(arguments: [("", "abc", 3), ("abc", "", 3), ("kitten", "sitting", 3), ("same", "same", 0), ("ab", "ba", 2), ("é", "e", 1)])
    func editDistance(_ a: String, _ b: String, _ expected: Int) {
        #expect(TargetSelector.distance(Array(a), Array(b)) == expected)
        #expect(TargetSelector.distance(Array(b), Array(a)) == expected)
    }
}
