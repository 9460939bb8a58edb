import Testing

import ProcdCore
@testable import ProcdWire

@Suite struct DashboardActionTests {
    static func body(_ text: String) throws -> JSON { try JSONParser.parse(bytes: Array(text.utf8)) }

    @Test(arguments: [
        (#"{"action":"start","target":"api"}"#, "start", #"{"target":"api"}"#),
        (#"{"action":"stop","target":"3"}"#, "stop", #"{"targets":["3"]}"#),
        (#"{"action":"restart","target":"3"}"#, "restart", #"{"targets":["3"]}"#),
        (#"{"action":"reload","target":"api"}"#, "reload", #"{"targets":["api"]}"#),
        (#"{"action":"flush","target":"3"}"#, "flush", #"{"targets":["3"]}"#),
        (#"{"action":"scale","target":"api","count":4}"#, "scale", #"{"app":"api","count":4}"#),
    ])
    func eachButtonBecomesOneWireRequest(_ text: String, _ command: String, _ args: String) throws {
        let (wire, json) = try DashboardAction.request(for: Self.body(text))
        #expect(wire.rawValue == command)
        #expect(json == (try Self.body(args)))
    }

    @Test(arguments: [
        "[]", #"{"action":"delete","target":"3"}"#, #"{"action":"kill","target":"3"}"#, #"{"action":"stop"}"#,
        #"{"action":"stop","target":""}"#, #"{"action":"stop","target":3}"#, #"{"action":"scale","target":"api"}"#,
        #"{"action":"scale","target":"api","count":0}"#, #"{"action":"scale","target":"api","count":5000}"#,
    ])
    func anythingElseIsRefused(_ text: String) throws {
        #expect(throws: DashboardAction.Refusal.self) { try DashboardAction.request(for: try Self.body(text)) }
    }
}
