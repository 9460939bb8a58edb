import Testing

@testable import ProcdCore

@Suite struct HealthURLTests {
    @Test(arguments: [
        ("http://127.0.0.1:8080/health", "127.0.0.1", 8080, "/health", "http://127.0.0.1:8080/health"),
        ("http://localhost/", "localhost", 80, "/", "http://localhost:80/"),
        ("http://localhost", "localhost", 80, "/", "http://localhost:80/"),
        ("HTTP://Example:9/a?b=c", "Example", 9, "/a?b=c", "http://Example:9/a?b=c"),
        ("http://[::1]:3000/up", "::1", 3000, "/up", "http://[::1]:3000/up"),
        ("http://[::1]/", "::1", 80, "/", "http://[::1]:80/"),
    ])
    func parsesPlainHTTPAddresses(_ text: String, _ host: String, _ port: Int, _ path: String, _ description: String) throws {
        let url = try #require(HealthURL.parse(text))
        #expect(url.host == host)
        #expect(url.port == port)
        #expect(url.path == path)
        #expect(url.description == description)
        #expect(HealthURL.parse(url.description) == url)
    }

    @Test(arguments: [
        "https://localhost/", "localhost:80/", "http://", "http://:80/", "http://host:0/", "http://host:65536/",
        "http://host:x/", "http://[::1/", "http://host/a b", "http://host/a\tb", "http://ho st/",
        "http://host/a\r\nX: y", "http://host/a\r\nX:y", "http://host/a\nX:y", "http://host/a\rX:y", "http://a\r\nX:y:80/",
    ])
    func rejectsWhatItCannotCheck(_ text: String) {
        #expect(HealthURL.parse(text) == nil)
    }

    @Test func requestIsAnHTTP10Get() throws {
        let url = try #require(HealthURL.parse("http://127.0.0.1:8080/health"))
        #expect(url.request == "GET /health HTTP/1.0\r\nHost: 127.0.0.1\r\nUser-Agent: procd-health\r\nConnection: close\r\n\r\n")
    }

    @Test(arguments: [
        ("HTTP/1.1 200 OK\r\n", Int?(200)), ("HTTP/1.0 503 Service Unavailable\r\nX: y\r\n", 503), ("HTTP/1.1 204\n", 204),
        ("HTTP/1.1 200 OK", nil), ("", nil), ("SSH-2.0-OpenSSH\r\n", -1), ("HTTP/1.1 abc\r\n", -1),
    ])
    func readsTheStatusCode(_ response: String, _ expected: Int?) {
        #expect(HealthURL.status(in: Array(response.utf8)) == expected)
    }
}
