import ProcdCore

/// The handle a route answers through, now or later. Once the client is gone the
/// exchange does nothing, so a late answer is harmless.
final class HTTPExchange {
    let request: HTTPRequest
    private weak var server: HTTPServer?
    private let connection: HTTPConnection

    init(request: HTTPRequest, server: HTTPServer, connection: HTTPConnection) {
        self.request = request
        self.server = server
        self.connection = connection
    }

    var peer: String { connection.peer }
    var isOpen: Bool { !connection.isClosed && server != nil }

    func respond(_ response: HTTPResponse) {
        guard isOpen, connection.phase == .answering else { return }
        connection.respond(response)
        server?.answered(connection)
    }

    /// Starts an event stream; `onClose` runs when the client goes.
    func beginStream(headers: [(String, String)] = [], onClose: @escaping () -> Void) {
        guard isOpen, connection.phase == .answering else { return }
        connection.onClose = onClose
        connection.beginStream(HTTPResponse(status: 200, contentType: "text/event-stream; charset=utf-8", bytes: [], headers: headers))
        server?.wrote(connection)
    }

    func stream(_ bytes: [UInt8]) {
        guard isOpen else { return }
        connection.stream(bytes)
        server?.wrote(connection)
    }

    /// Runs when the client goes before a late answer is ready.
    func onClose(_ action: @escaping () -> Void) {
        connection.onClose = action
    }
}
