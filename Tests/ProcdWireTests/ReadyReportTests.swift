import Testing

@testable import ProcdWire

/// The line a detached daemon writes to whoever started it, both ways.
@Suite struct ReadyReportTests {
    @Test(arguments: [ReadyReport.ready(pid: 4242), .failed("another procd is running on /root/.procd (pid 7)")])
    func eachReportReadsBackAsWritten(_ report: ReadyReport) {
        #expect(ReadyReport(report.line) == report)
    }

    @Test(arguments: ["", "\n", "ready\n", "ready x\n", "fatal: no\n"])
    func anythingElseIsNoReport(_ text: String) {
        #expect(ReadyReport(text) == nil)
    }
}
