import ProcdCore
import ProcdPlatform

/// The dashboard's fixed answers: text, JSON, and the login page of a 401.
extension WebDashboard {
    static func text(_ status: Int, _ message: String) -> HTTPResponse {
        HTTPResponse(status: status, body: message)
    }

    static func json(_ status: Int, _ value: JSON) -> HTTPResponse {
        HTTPResponse(status: status, contentType: "application/json", body: value.serialized())
    }

    static func json(_ status: Int, error: String) -> HTTPResponse {
        json(status, .object(["error": .string(error)]))
    }

    /// 401 with no data: a short page saying how to log in.
    static func unauthorized(_ message: String) -> HTTPResponse {
        let nonce = Self.nonce()
        return HTTPResponse(status: 401, contentType: "text/html; charset=utf-8", bytes: DashboardPage.loginNeeded(message, nonce: nonce),
                            headers: [("Content-Security-Policy", DashboardPage.contentSecurityPolicy(nonce: nonce))])
    }

    /// A fresh value for one response's Content-Security-Policy.
    static func nonce() -> String {
        let bytes = (try? File.randomBytes(12)) ?? withUnsafeBytes(of: Clock.now().nanoseconds) { Array($0) }
        let hex = Array("0123456789abcdef")
        return String(bytes.flatMap { [hex[Int($0 >> 4)], hex[Int($0 & 15)]] })
    }
}
