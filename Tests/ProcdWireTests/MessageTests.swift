import ProcdCore
import Testing

@testable import ProcdWire

@Suite struct MessageTests {
    private func decode(_ text: String) -> Result<Request, RequestFailure> {
        Request.decode(Array(text.utf8))
    }

    @Test(arguments: [
        (#"{"id":1,"cmd":"list","args":{}}"#, Request(id: 1, command: "list")),
        (#"{"id":2,"cmd":"ping"}"#, Request(id: 2, command: "ping")),
        (#"{"cmd":"stop","args":{"targets":["web"]},"id":0}"#, Request(id: 0, command: "stop", args: .object(["targets": .array([.string("web")])]))),
        (#" {"id":-7,"cmd":"x","extra":true} "#, Request(id: -7, command: "x")),
        (#"{"id":3.0,"cmd":"list"}"#, Request(id: 3, command: "list")),
    ])
    func decodesValidRequests(_ text: String, _ expected: Request) throws {
        #expect(try decode(text).get() == expected)
    }

    @Test(arguments: [
        ("", Int?.none, "invalid JSON: line 1, column 1: unexpected end of input"),
        ("{\"id\":1,", nil, "invalid JSON: line 1, column 9: expected a string key"),
        ("[1,2]", nil, "a request must be a JSON object"), ("\"list\"", nil, "a request must be a JSON object"),
        (#"{"cmd":"list"}"#, nil, "'id' must be a whole number"), (#"{"id":"1","cmd":"list"}"#, nil, "'id' must be a whole number"),
        (#"{"id":1.5,"cmd":"list"}"#, nil, "'id' must be a whole number"), (#"{"id":null,"cmd":"list"}"#, nil, "'id' must be a whole number"),
        (#"{"id":4}"#, 4, "'cmd' must be a string"), (#"{"id":4,"cmd":7}"#, 4, "'cmd' must be a string"),
        (#"{"id":5,"cmd":"list","args":[]}"#, 5, "'args' must be an object"),
        (#"{"id":5,"cmd":"list","args":"x"}"#, 5, "'args' must be an object"),
    ] as [(String, Int?, String)])
    func rejectsBadRequestsWithTheIdWhenKnown(_ text: String, _ id: Int?, _ message: String) {
        guard case .failure(let failure) = decode(text) else {
            Issue.record("decoded \(text)")
            return
        }
        #expect(failure.id == id)
        #expect(failure.error == WireError(.badRequest, message))
    }

    @Test func rejectsInvalidUTF8AndHostileNesting() {
        guard case .failure(let bad) = Request.decode([0x7B, 0x22, 0xFF, 0x22, 0x3A, 0x31, 0x7D]) else {
            Issue.record("decoded invalid UTF-8")
            return
        }
        #expect(bad.error.code == .badRequest)
        guard case .failure(let deep) = Request.decode(Array(String(repeating: "[", count: 100_000).utf8)) else {
            Issue.record("decoded deep nesting")
            return
        }
        #expect(deep.error.message.contains("nesting deeper than 256 levels"))
    }

    @Test func requestJsonIsTheWireForm() throws {
        let request = Request(id: 9, command: "stop", args: .object(["targets": .array([.string("all")])]))
        #expect(request.json.serialized() == #"{"id":9,"cmd":"stop","args":{"targets":["all"]}}"#)
        #expect(try Request.decode(Array(request.json.serialized().utf8)).get() == request)
    }

    @Test(arguments: [
        (Reply.success(id: 1, result: .int(2)), #"{"id":1,"ok":true,"result":2}"#),
        (.success(id: nil, result: .null), #"{"id":null,"ok":true,"result":null}"#),
        (.failure(id: 3, WireError(.notFound, "no app named 'wbe'")),
         #"{"id":3,"ok":false,"error":{"code":"not_found","message":"no app named 'wbe'"}}"#),
        (.failure(id: nil, WireError(.tooLarge, "line over 1 MiB")),
         #"{"id":null,"ok":false,"error":{"code":"too_large","message":"line over 1 MiB"}}"#),
        (.event(id: 4, .object(["line": .string("a\nb")])), #"{"id":4,"event":{"line":"a\nb"}}"#),
    ])
    func replyLinesAreOneJSONObjectAndANewline(_ reply: Reply, _ expected: String) {
        #expect(reply.line == expected + "\n")
        #expect(reply.lineBytes == Array(reply.line.utf8))
        #expect(reply.line.filter { $0 == "\n" }.count == 1)
    }

    static let replies: [Reply] = [
        .success(id: 1, result: .object(["processes": .array([.object(["id": .int(0)])])])),
        .success(id: nil, result: .string("pong")), .success(id: 0, result: .null),
        .event(id: 7, .object(["stream": .string("out"), "line": .string("héllo \u{1}")])), .event(id: 2, .null),
    ] + ErrorCode.allCases.map { .failure(id: 12, WireError($0, "message for \($0.rawValue)")) }

    @Test(arguments: replies)
    func replyRoundTrips(_ reply: Reply) {
        #expect(Reply.decode(Array(reply.line.utf8)) == reply)
        #expect(Reply.decode(Array(reply.json.serialized().utf8)) == reply)
    }

    @Test(arguments: [
        (#"{"id":1,"ok":true}"#, Reply?.some(.success(id: 1, result: .null))),
        (#"{"id":1,"ok":false,"error":{"code":"brand_new","message":"m"}}"#, .failure(id: 1, WireError(.internalError, "m"))),
        (#"{"id":1,"ok":false,"error":{}}"#, .failure(id: 1, WireError(.internalError, "unknown error"))),
        (#"{"id":1,"ok":false}"#, nil), (#"{"event":1}"#, nil), ("[]", nil), ("not json", nil), ("", nil),
    ])
    func decodesOddRepliesSafely(_ text: String, _ expected: Reply?) {
        #expect(Reply.decode(Array(text.utf8)) == expected)
    }

    @Test func errorCodesAreStable() {
        #expect(ErrorCode.allCases.map(\.rawValue) == [
            "bad_request", "unknown_command", "invalid_argument", "not_found", "already_exists", "spawn_failed",
            "forbidden", "too_large", "internal", "not_saved",
        ])
    }
}
