import Testing

@testable import ProcdWire

@Suite struct LineFramerTests {
    private func line(_ text: String) -> LineFramer.Item { .line(Array(text.utf8)) }

    /// Feeds `chunks` in order and returns every item, flattened.
    private func feed(_ chunks: [String], limit: Int = 8) -> [LineFramer.Item] {
        var framer = LineFramer(limit: limit)
        return chunks.flatMap { framer.append(Array($0.utf8)) }
    }

    @Test(arguments: [
        (["abc\n"], ["abc"]), (["a\nb\n\nc\n"], ["a", "b", "", "c"]), (["ab", "c\nd", "\n"], ["abc", "d"]),
        (["a", "b", "c", "\n"], ["abc"]), (["\n"], [""]), (["x\r\n"], ["x\r"]), (["partial"], []),
        (["one\ntw", "o\nthree\nfo", "ur\n"], ["one", "two", "three", "four"]),
    ] as [([String], [String])])
    func splitsLinesAcrossAndWithinChunks(_ chunks: [String], _ lines: [String]) {
        #expect(feed(chunks) == lines.map(line))
    }

    @Test func holdsTheUnfinishedLine() {
        var framer = LineFramer(limit: 8)
        #expect(framer.append(Array("ab\ncd".utf8)) == [line("ab")])
        #expect(framer.pendingCount == 2)
        #expect(framer.append(Array("\n".utf8)) == [line("cd")])
        #expect(framer.pendingCount == 0)
    }

    @Test func byteAtATimeGivesTheSameLines() {
        let text = "{\"id\":1}\n{\"id\":2}\n\nlast\n"
        var framer = LineFramer(limit: 64)
        let items = text.utf8.flatMap { framer.append([$0]) }
        #expect(items == ["{\"id\":1}", "{\"id\":2}", "", "last"].map(line))
    }

    @Test func aLineOfExactlyTheLimitPasses() {
        #expect(feed(["12345678\n"]) == [line("12345678")])
        #expect(feed(["1234", "5678", "\n"]) == [line("12345678")])
    }

    @Test(arguments: [
        ["123456789\nok\n"], ["12345", "6789\nok\n"], ["12345", "6789", "\nok\n"], ["123456789", "\n", "ok\n"],
        ["1234567890123456789012345", "more", "and more\n", "ok\n"], ["12345678", "9", "\nok\n"],
    ])
    func anOverlongLineIsReportedOnceAndSkippedToTheNextNewline(_ chunks: [String]) {
        #expect(feed(chunks) == [.tooLong, line("ok")])
    }

    @Test func discardingHoldsNoMemory() {
        var framer = LineFramer(limit: 8)
        #expect(framer.append(Array("0123456789".utf8)) == [.tooLong])
        #expect(framer.pendingCount == 0)
        for _ in 0..<100 {
            #expect(framer.append(Array(repeating: UInt8(ascii: "x"), count: 1000)) == [])
            #expect(framer.pendingCount == 0)
        }
        #expect(framer.append(Array("tail\nfine\nne".utf8)) == [line("fine")])
        #expect(framer.pendingCount == 2)
        #expect(framer.append(Array("xt\n".utf8)) == [line("next")])
    }

    @Test func linesAroundAnOverlongOneSurvive() {
        #expect(feed(["ok\n0123456789\nab\ncd"]) == [line("ok"), .tooLong, line("ab")])
        #expect(feed(["a\n", "0123456789", "\n", "b\n", "9876543210\n", "c\n"]) == [line("a"), .tooLong, line("b"), .tooLong, line("c")])
    }

    @Test func theDefaultLimitIsOneMebibyte() {
        #expect(LineFramer.defaultLimit == 1 << 20)
        var framer = LineFramer()
        #expect(framer.limit == 1 << 20)
        let exact = [UInt8](repeating: UInt8(ascii: "a"), count: 1 << 20)
        #expect(framer.append(exact + [UInt8(ascii: "\n")]) == [.line(exact)])
        #expect(framer.append(exact + [UInt8(ascii: "a"), UInt8(ascii: "\n")]) == [.tooLong])
        #expect(framer.append(Array("{}\n".utf8)) == [line("{}")])
    }
}
