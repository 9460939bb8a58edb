import Testing

@testable import ProcdCore

@Suite struct HTTPRequestParserTests {
    static func parse(_ text: String) -> HTTPRequestParser.Outcome { HTTPRequestParser.parse(Array(text.utf8)) }

    @Test func readsARequestHeadAndSaysHowMuchItTook() throws {
        let text = "GET /metrics?x=1 HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization:  Bearer abc \r\n\r\nGET /next"
        guard case .request(let request, let consumed) = Self.parse(text) else {
            Issue.record("not parsed: \(Self.parse(text))")
            return
        }
        #expect(request.method == "GET")
        #expect(request.path == "/metrics")
        #expect(request.query == "x=1")
        #expect(request.header("AUTHORIZATION") == "Bearer abc")
        #expect(request.keepsAlive)
        #expect(consumed == text.utf8.count - "GET /next".utf8.count)
    }

    @Test(arguments: [
        ("GET / HTTP/1.1\r\nHost: a\r\n\r\n", true), ("GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n", false),
        ("GET / HTTP/1.0\r\n\r\n", false), ("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n", true),
    ])
    func keepAliveFollowsTheVersionAndTheConnectionHeader(_ text: String, _ keepsAlive: Bool) {
        guard case .request(let request, _) = Self.parse(text) else {
            Issue.record("not parsed")
            return
        }
        #expect(request.keepsAlive == keepsAlive)
    }

    @Test(arguments: ["", "GET", "GET /metrics HTTP/1.1\r\n", "GET /metrics HTTP/1.1\r\nHost: a\r\n"])
    func anIncompleteHeadAsksForMore(_ text: String) {
        #expect(Self.parse(text) == .needMore)
    }

    @Test(arguments: [
        ("\r\n\r\n", 400), ("GET\r\n\r\n", 400), ("GET /a b HTTP/1.1\r\n\r\n", 400), ("GET metrics HTTP/1.1\r\nHost: a\r\n\r\n", 400),
        ("G(T / HTTP/1.1\r\nHost: a\r\n\r\n", 400), ("GET / HTTP/2.0\r\n\r\n", 505), ("GET / HTTP/1.1\r\n\r\n", 400),
        ("GET / HTTP/1.1\r\nHost a\r\n\r\n", 400), ("GET / HTTP/1.1\r\n: a\r\n\r\n", 400),
        ("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhello", 413),
        ("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n", 413),
    ])
    func malformedRequestsAreRefusedWithAStatus(_ text: String, _ status: Int) {
        guard case .failure(let failure) = Self.parse(text) else {
            Issue.record("accepted: \(text.debugDescription)")
            return
        }
        #expect(failure.status == status, "\(text.debugDescription): \(failure)")
    }

    @Test func aBodyIsReadOnlyWhenAllowedAndWithinItsBound() throws {
        let post = "POST /api/action HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhelloGET"
        guard case .request(let request, let consumed) = HTTPRequestParser.parse(Array(post.utf8), maxBodyBytes: 16) else {
            Issue.record("not parsed")
            return
        }
        #expect(request.body == Array("hello".utf8))
        #expect(consumed == post.utf8.count - 3)
        let partial = "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhel"
        #expect(HTTPRequestParser.parse(Array(partial.utf8), maxBodyBytes: 16) == .needMore)
        let big = "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 17\r\n\r\n"
        #expect(HTTPRequestParser.parse(Array(big.utf8), maxBodyBytes: 16) == .failure(.init(status: 413, reason: "request body over 16 bytes")))
        let chunked = "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
        #expect(HTTPRequestParser.parse(Array(chunked.utf8), maxBodyBytes: 16) == .failure(.init(status: 413, reason: "chunked request bodies are not accepted")))
        for length in ["-1", "x", "1 2", "+3"] {
            let text = "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: \(length)\r\n\r\n"
            #expect(HTTPRequestParser.parse(Array(text.utf8), maxBodyBytes: 16) == .failure(.init(status: 400, reason: "malformed Content-Length")), "\(length)")
        }
    }

    @Test func headsAreBoundedInSizeAndHeaderCount() {
        let long = "GET / HTTP/1.1\r\nHost: a\r\nX: " + String(repeating: "a", count: HTTPRequestParser.maxHeadBytes) + "\r\n\r\n"
        #expect(Self.parse(long) == .failure(.init(status: 431, reason: "request head over 8192 bytes")))
        let endless = "GET / HTTP/1.1\r\n" + String(repeating: "X: y\r\n", count: 2000)
        #expect(Self.parse(endless) == .failure(.init(status: 431, reason: "request head over 8192 bytes")))
        let many = "GET / HTTP/1.1\r\nHost: a\r\n" + String(repeating: "X: y\r\n", count: HTTPRequestParser.maxHeaders) + "\r\n"
        #expect(Self.parse(many) == .failure(.init(status: 431, reason: "more than 32 headers")))
    }
}
