import Testing

@testable import ProcdCore

@Suite struct LineRingTests {
    static func feed(_ chunks: [String], capacity: Int = 3) -> [String] {
        var ring = LineRing(capacity: capacity)
        for chunk in chunks { Array(chunk.utf8).withUnsafeBytes { ring.append($0) } }
        return ring.lines
    }

    @Test(arguments: [
        ([String](), [String]()), (["a\n"], ["a"]), (["a\nb\nc\nd\n"], ["b", "c", "d"]),
        (["par", "tial\n"], ["partial"]), (["a\nb"], ["a", "b"]), (["a\r\n"], ["a"]),
        (["1\n2\n", "3\n4\n5\n6\n7\n"], ["5", "6", "7"]), (["x\n", "\n"], ["x", ""]),
        (["1\n2\n3\n4\n5\nhalf"], ["4", "5", "half"]),
    ])
    func keepsTheLastLines(_ chunks: [String], _ expected: [String]) {
        #expect(Self.feed(chunks) == expected)
    }

    @Test func aLineWithoutEndIsCutAtTheBound() {
        let lines = Self.feed([String(repeating: "z", count: LineRing.maxLineBytes * 3) + "\nend\n"])
        #expect(lines.first?.count == LineRing.maxLineBytes)
        #expect(lines.last == "end")
    }

    @Test func removeAllForgetsEverything() {
        var ring = LineRing(capacity: 2)
        Array("a\nb".utf8).withUnsafeBytes { ring.append($0) }
        ring.removeAll()
        #expect(ring.lines.isEmpty)
    }
}
