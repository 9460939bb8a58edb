import Testing

@testable import ProcdCore

@Suite struct WebAccessTests {
    static let loopback = ListenAddress(host: "127.0.0.1", port: 9615)
    static let everywhere = ListenAddress(host: nil, port: 9615)
    static let lan = ListenAddress(host: "10.0.0.5", port: 9615)

    @Test(arguments: [
        ("127.0.0.1:9615", loopback, true), ("localhost:9615", loopback, true), ("127.0.0.1", loopback, true),
        ("[::1]:9615", loopback, true), ("app.localhost:9615", loopback, true),
        ("evil.example:9615", loopback, false), ("127.0.0.1:80", loopback, false), ("10.0.0.5:9615", loopback, false),
        ("127.0.0.1.evil.example:9615", loopback, false), ("", loopback, false), ("a b:9615", loopback, false),
        ("127.0.0.1:99999", loopback, false), ("[::1", loopback, false),
        ("box.lan:9615", everywhere, true), ("192.168.1.9:9615", everywhere, true), ("box.lan:1", everywhere, false),
        ("10.0.0.5:9615", lan, true), ("box.lan:9615", lan, true), ("10.0.0.6:9615", lan, false),
    ])
    func hostMustNameThisListener(_ host: String, _ listen: ListenAddress, _ allowed: Bool) {
        #expect(WebAccess.hostAllowed(host, listen: listen, port: 9615) == allowed, "\(host) on \(listen)")
    }

    @Test func aMissingHostIsRefused() {
        #expect(!WebAccess.hostAllowed(nil, listen: Self.loopback, port: 9615))
    }

    @Test(arguments: [
        (nil, "127.0.0.1:9615", true), ("http://127.0.0.1:9615", "127.0.0.1:9615", true),
        ("HTTP://LOCALHOST:9615", "localhost:9615", true), ("http://evil.example", "127.0.0.1:9615", false),
        ("null", "127.0.0.1:9615", false), ("https://127.0.0.1:9615", "127.0.0.1:9615", false),
        ("http://127.0.0.1:9616", "127.0.0.1:9615", false),
    ] as [(String?, String, Bool)])
    func originMustBeThePagesOwn(_ origin: String?, _ host: String, _ allowed: Bool) {
        #expect(WebAccess.originAllowed(origin, host: host) == allowed)
    }

    @Test(arguments: [
        ("token=abc", "abc"), ("a=1&token=a%2Fb%20c", "a/b c"), ("token=", ""), ("token", ""), ("x=1", nil),
        ("token=%zz", nil), ("token=%4", nil), ("token=a+b", "a b"), ("tokens=1&token=2", "2"),
    ] as [(String, String?)])
    func queryValuesArePercentDecoded(_ query: String, _ value: String?) {
        #expect(WebAccess.queryValue(query, "token") == value)
    }

    @Test func cookiesAreFoundByName() {
        #expect(WebAccess.cookieValue("a=1; procd_web=xyz; b=2", "procd_web") == "xyz")
        #expect(WebAccess.cookieValue("xprocd_web=1", "procd_web") == nil)
        #expect(WebAccess.cookieValue(nil, "procd_web") == nil)
        #expect(WebAccess.loginCookie("t") == "procd_web=t; Path=/; HttpOnly; SameSite=Strict")
    }

    @Test func tokensMatchWhole() {
        #expect(WebAccess.matches("abc", "abc"))
        #expect(!WebAccess.matches("abd", "abc"))
        #expect(!WebAccess.matches("ab", "abc"))
        #expect(!WebAccess.matches(nil, "abc"))
        #expect(!WebAccess.matches("", ""), "an empty token never matches")
    }
}

@Suite struct LoginThrottleTests {
    static func at(_ seconds: Double) -> Tick { Tick(nanoseconds: Int64(seconds * 1e9)) }

    @Test func fiveFailuresAreFreeThenTheLockoutDoubles() {
        var throttle = LoginThrottle()
        for i in 0..<5 { throttle.failed("a", now: Self.at(Double(i))) }
        #expect(throttle.retryAfter("a", now: Self.at(5)) == nil)
        throttle.failed("a", now: Self.at(5))
        #expect(throttle.retryAfter("a", now: Self.at(5)) == .seconds(1))
        #expect(throttle.retryAfter("a", now: Self.at(6)) == nil)
        throttle.failed("a", now: Self.at(6))
        #expect(throttle.retryAfter("a", now: Self.at(6)) == .seconds(2))
        #expect(throttle.retryAfter("b", now: Self.at(6)) == nil, "another client is not held up")
        for i in 0..<30 { throttle.failed("a", now: Self.at(10 + Double(i))) }
        #expect(throttle.retryAfter("a", now: Self.at(39)) == .seconds(300), "the lockout stops growing at 5 min")
    }

    @Test func successAndTimeForgive() {
        var throttle = LoginThrottle()
        for i in 0..<7 { throttle.failed("a", now: Self.at(Double(i))) }
        throttle.succeeded("a")
        #expect(throttle.retryAfter("a", now: Self.at(7)) == nil)
        for i in 0..<7 { throttle.failed("b", now: Self.at(Double(i))) }
        throttle.failed("b", now: Self.at(2000))
        #expect(throttle.retryAfter("b", now: Self.at(2000)) == nil, "a quarter of an hour of quiet starts afresh")
    }

    @Test func itRemembersABoundedNumberOfClients() {
        var throttle = LoginThrottle(capacity: 3)
        for i in 0..<10 { throttle.failed("client\(i)", now: Self.at(Double(i))) }
        #expect(throttle.count == 3)
    }
}

@Suite struct ServerSentEventTests {
    @Test(arguments: [
        ("log", "one", "event: log\ndata: one\n\n"),
        ("log", "a\nb", "event: log\ndata: a\ndata: b\n\n"),
        ("log", "a\r\nb\rc", "event: log\ndata: a\ndata: b\ndata: c\n\n"),
        ("l\nx", "", "event: lx\ndata: \n\n"),
        ("log", "\n\n", "event: log\ndata: \ndata: \ndata: \n\n"),
    ])
    func linesOfDataNeverEndTheEventEarly(_ event: String, _ data: String, _ wire: String) {
        #expect(String(decoding: ServerSentEvent.encode(event: event, data: data), as: UTF8.self) == wire)
    }
}
