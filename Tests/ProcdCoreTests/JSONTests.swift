import Testing

@testable import ProcdCore

@Suite struct JSONTests {
    @Test func accessorsReturnOnlyTheirOwnType() {
        let values: [JSON] = [.null, .bool(true), .number(2), .string("s"), .array([.null]), .object(["k": .null])]
        #expect(values.compactMap(\.boolValue) == [true])
        #expect(values.compactMap(\.doubleValue) == [2])
        #expect(values.compactMap(\.stringValue) == ["s"])
        #expect(values.compactMap(\.arrayValue) == [[.null]])
        #expect(values.compactMap(\.objectValue) == [["k": .null]])
        #expect(values.filter(\.isNull) == [.null])
        #expect(values.map(\.typeName) == ["null", "a boolean", "a number", "a string", "an array", "an object"])
    }

    @Test(arguments: [
        (JSON.number(0), Int?(0)), (.number(-3), -3), (.number(1.0), 1), (.number(8.9e15), 8_900_000_000_000_000),
        (.number(1.5), nil), (.number(9.1e15), nil), (.number(-1e20), nil), (.number(.nan), nil),
        (.number(.infinity), nil), (.string("1"), nil), (.bool(true), nil), (.null, nil), (.int(42), 42),
    ])
    func intValueIsOnlyForWholeNumbers(_ value: JSON, _ expected: Int?) {
        #expect(value.intValue == expected)
    }

    @Test func subscriptReadsObjectsOnly() {
        let value: JSON = .object(["a": .int(1), "b": .null])
        #expect(value["a"] == .int(1))
        #expect(value["b"] == .null)
        #expect(value["c"] == nil)
        #expect(JSON.array([.int(1)])["a"] == nil)
        #expect(JSON.string("a")["a"] == nil)
    }

    @Test func objectsKeepInsertionOrder() {
        var object: JSONObject = ["b": .int(1), "a": .int(2)]
        object["c"] = .int(3)
        #expect(object.keys == ["b", "a", "c"])
        object["b"] = .int(10)
        #expect(object.keys == ["b", "a", "c"], "an update keeps the key's place")
        #expect(object["b"] == .int(10))
        object["a"] = nil
        #expect(object.keys == ["b", "c"])
        #expect(object.count == 2)
        #expect(object.entries.map(\.key) == ["b", "c"])
        #expect(object.entries.map(\.value) == [.int(10), .int(3)])
        object["missing"] = nil
        #expect(object.count == 2)
        object["a"] = .int(2)
        #expect(object.keys == ["b", "c", "a"], "a removed key comes back at the end")
    }

    @Test func objectEqualityIgnoresOrder() {
        let ab: JSONObject = ["a": .int(1), "b": .int(2)]
        let ba: JSONObject = ["b": .int(2), "a": .int(1)]
        #expect(ab == ba)
        #expect(ab != ["a": .int(1), "b": .int(3)])
        #expect(ab != ["a": .int(1)])
        #expect(JSONObject() == [:])
    }

    @Test(arguments: [3, 16, 17, 40, 1000])
    func largeObjectsKeepOrderThroughUpdatesAndRemovals(_ size: Int) {
        var object = JSONObject()
        for i in (0..<size).reversed() { object["k\(i)"] = .int(i) }
        #expect(object.count == size)
        #expect(object.keys == (0..<size).reversed().map { "k\($0)" })
        #expect((0..<size).allSatisfy { object["k\($0)"] == .int($0) })
        #expect(object["missing"] == nil)
        object["k0"] = .string("zero")
        #expect(object.keys.last == "k0", "an update keeps the key's place")
        #expect(object["k0"] == .string("zero"))
        for i in stride(from: 1, to: size, by: 2) { object["k\(i)"] = nil }
        let kept = (0..<size).reversed().filter { $0 % 2 == 0 }
        #expect(object.keys == kept.map { "k\($0)" })
        #expect(object.count == kept.count)
        #expect(object["k1"] == nil)
        object["k1"] = .int(1)
        #expect(object.keys.last == "k1")
        #expect(object["k2"] == .int(2))
        var reordered = JSONObject()
        for (key, value) in object.entries.reversed() { reordered[key] = value }
        #expect(reordered == object)
        reordered["k1"] = .int(2)
        #expect(reordered != object)
    }
}
