import Testing

@testable import ProcdCore

@Suite struct ListenAddressTests {
    @Test(arguments: [
        ("8080", String?.none, 8080, "8080"), ("1", nil, 1, "1"), ("65535", nil, 65535, "65535"),
        ("127.0.0.1:80", "127.0.0.1", 80, "127.0.0.1:80"), ("localhost:3000", "localhost", 3000, "localhost:3000"),
        (":80", nil, 80, "80"), ("*:80", nil, 80, "80"), ("[::1]:9000", "::1", 9000, "[::1]:9000"),
        ("[::]:443", "::", 443, "[::]:443"),
    ])
    func parsesPortsAndHosts(_ text: String, _ host: String?, _ port: Int, _ description: String) {
        let address = ListenAddress.parse(text)
        #expect(address == ListenAddress(host: host, port: port))
        #expect(address?.description == description)
        #expect(ListenAddress.parse(description) == address, "its description parses back")
    }

    @Test(arguments: ["", "0", "65536", "-1", "http", "host:", "host:port", "[::1]", "[::1]9000", "[::1:80", "80 "])
    func rejectsWhatIsNotAnAddress(_ text: String) {
        #expect(ListenAddress.parse(text) == nil)
    }
}

@Suite struct NumericHostTests {
    @Test(arguments: [
        ("127.0.0.1", true), ("0.0.0.0", true), ("::", true), ("::1", true), ("fe80::1%eth0", true), ("::ffff:10.0.0.1", true),
        ("localhost", false), ("example.com", false), ("256.1.1.1", false), ("1.2.3", false), ("", false), ("a:b:g::", false),
    ])
    func numericHosts(_ host: String, _ numeric: Bool) {
        #expect(ListenAddress.isNumericHost(host) == numeric)
    }
}
