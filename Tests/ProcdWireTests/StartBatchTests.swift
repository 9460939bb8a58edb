import ProcdCore
import Testing

@testable import ProcdWire

@Suite struct StartBatchTests {
    static func app(_ name: String, _ env: [(String, String)]) -> JSON {
        var object: JSONObject = ["name": .string(name)]
        var variables = JSONObject()
        for (key, value) in env { variables[key] = .string(value) }
        object["env"] = .object(variables)
        return .object(object)
    }

    @Test(arguments: [
        // name, apps' environments, what travels once
        ("all shared", [[("A", "1"), ("B", "2")], [("A", "1"), ("B", "2")]], ["A", "B"]),
        ("one differs", [[("A", "1"), ("B", "2")], [("A", "1"), ("B", "3")]], ["A"]),
        ("one lacks a key", [[("A", "1"), ("B", "2")], [("A", "1")]], ["A"]),
        ("nothing shared", [[("A", "1")], [("B", "1")]], []),
        ("a single app", [[("A", "1")]], ["A"]),
        ("no apps", [], []),
    ])
    func sharedVariablesTravelOnceAndComeBackWhole(_ label: String, _ envs: [[(String, String)]], _ shared: [String]) throws {
        let apps = envs.enumerated().map { Self.app("a\($0.offset)", $0.element) }
        let args = StartBatch.arguments(apps, force: true)
        #expect(args["env"]?.objectValue?.keys.sorted() == shared.sorted(), "\(label)")
        #expect(args["force"] == .bool(true))
        for app in args["apps"]?.arrayValue ?? [] {
            for key in shared { #expect(app["env"]?[key] == nil, "\(label): \(key) sent twice") }
        }
        let back = try #require(StartBatch.apps(.object(args)))
        #expect(back == apps, "\(label)")
    }

    @Test func aSingleAppRequestIsNotABatch() {
        #expect(StartBatch.apps(.object(["app": Self.app("a", [])])) == nil)
    }
}
