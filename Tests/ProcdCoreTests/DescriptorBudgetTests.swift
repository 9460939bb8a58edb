import ProcdCore
import Testing

@Suite struct DescriptorBudgetTests {
    @Test(arguments: [
        (0, 1024, false),
        (100, 1024, false),
        (160, 1024, false),
        (161, 1024, true),
        (600, 1024, true),
        (600, 20000, false),
        (1000, 524288, false),
    ])
    func warnsOnlyWhenTheTableCannotFit(processes: Int, limit: Int, warns: Bool) {
        #expect((DescriptorBudget.warning(processes: processes, limit: limit) != nil) == warns)
    }

    @Test func theWarningSaysWhatToRaise() {
        let text = DescriptorBudget.warning(processes: 600, limit: 1024) ?? ""
        #expect(text.contains("3664"))
        #expect(text.contains("1024"))
        #expect(text.contains("LimitNOFILE"))
    }
}
