import Testing

@testable import ProcdCore

@Suite struct TableTests {
    private func table(_ columns: [Table.Column], _ rows: [[String]]) -> Table {
        var table = Table(columns: columns)
        table.rows = rows.map { $0.map { Table.Cell($0) } }
        return table
    }

    @Test func alignsColumnsTwoSpacesApart() {
        let t = table(
            [Table.Column("id", rightAligned: true), Table.Column("name"), Table.Column("status")],
            [["0", "web", "online"], ["12", "api", "stopped"]])
        #expect(t.render() == """
            id  name  status
             0  web   online
            12  api   stopped

            """)
    }

    @Test func trailingSpacesAreTrimmedAndShortRowsPadded() {
        let t = table([Table.Column("name"), Table.Column("note")], [["a-long-name", ""], ["b"]])
        #expect(t.render() == "name         note\na-long-name\nb\n")
    }

    @Test func widthCountsCharactersNotBytes() {
        let t = table([Table.Column("name"), Table.Column("x", rightAligned: true)], [["été", "1"], ["naïve", "22"]])
        #expect(t.render() == "name    x\nété     1\nnaïve  22\n")
    }

    @Test func truncatesTheTruncatableColumnToFit() {
        let t = table([Table.Column("name", truncatable: true), Table.Column("status")], [["a-very-long-name", "online"]])
        let rendered = t.render(width: 20)
        #expect(rendered == "name          status\na-very-long…  online\n")
        #expect(rendered.split(separator: "\n").allSatisfy { $0.count <= 20 })
        #expect(t.render(width: 0).contains("a-very-long-name"), "width 0 is unlimited")
        #expect(t.render(width: 24).contains("a-very-long-name"), "it fits exactly")
        #expect(t.render(width: 23).contains("a-very-long-na…  online"))
    }

    @Test func neverShrinksAColumnBelowFourOrTouchesOthers() {
        let t = table([Table.Column("name", truncatable: true), Table.Column("status")], [["a-very-long-name", "online"]])
        #expect(t.render(width: 5) == "name  status\na-v…  online\n")
    }

    @Test func shrinksTheWidestTruncatableColumnFirst() {
        let t = table(
            [Table.Column("a", truncatable: true), Table.Column("b", truncatable: true), Table.Column("c")],
            [["aaaaaaaaaa", "bbbbbbbb", "cccccccccccc"]])
        // 10 + 8 + 12 + 4 gaps = 34; at 30 both truncatable columns end at 7.
        #expect(t.render(width: 30) == "a        b        c\naaaaaa…  bbbbbb…  cccccccccccc\n")
        // At 32 only the widest one shrinks.
        #expect(t.render(width: 32) == "a         b         c\naaaaaaa…  bbbbbbbb  cccccccccccc\n")
    }

    @Test func colorWrapsPaddedCellsAndBoldsTheHeader() {
        var t = Table(columns: [Table.Column("name"), Table.Column("status")])
        t.rows = [[Table.Cell("web"), Table.Cell("up", style: "32")]]
        let esc = "\u{1B}["
        #expect(t.render(color: true) == """
            \(esc)1mname\(esc)0m  \(esc)1mstatus\(esc)0m
            web   \(esc)32mup    \(esc)0m

            """)
        #expect(!t.render(color: false).contains("\u{1B}"), "no colour unless asked")
    }

    @Test func anEmptyTableIsItsHeader() {
        #expect(Table(columns: [Table.Column("id"), Table.Column("name")]).render() == "id  name\n")
    }
}
