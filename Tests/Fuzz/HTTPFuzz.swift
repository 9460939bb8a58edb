// libFuzzer target: the HTTP request parser behind procd's HTTP listener (metrics and the
// dashboard), fed bytes as a hostile client would send them, whole and split at every
// arrival point it picks; and the dashboard's header checks on what it parsed.
// Built by run.sh together with the sources of ProcdCore as one module.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzHTTP(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let whole = HTTPRequestParser.parse(bytes)
    if case .request(let request, let consumed) = whole {
        precondition(consumed <= bytes.count && consumed >= 4, "consumed \(consumed) of \(bytes.count)")
        precondition(request.path.hasPrefix("/"), "path \(request.path)")
        _ = request.keepsAlive
        _ = request.header("authorization")
        // What follows a request is parsed as the next one, as the listener does.
        _ = HTTPRequestParser.parse(Array(bytes[consumed...]))
    }
    // Arrival in two pieces: a request complete in the first piece is the same request.
    if size > 1, case .request(let early, let consumed) = HTTPRequestParser.parse(Array(bytes[..<(size / 2)])) {
        precondition(whole == .request(early, consumed: consumed), "a later byte changed an earlier request")
    }
    // With bodies allowed, as for the dashboard's POSTs: the body never exceeds its bound.
    if case .request(let request, let consumed) = HTTPRequestParser.parse(bytes, maxBodyBytes: 16384) {
        precondition(request.body.count <= 16384 && consumed <= bytes.count, "body \(request.body.count)")
        let listen = ListenAddress(host: "127.0.0.1", port: 9615)
        _ = WebAccess.hostAllowed(request.header("host"), listen: listen, port: 9615)
        _ = WebAccess.originAllowed(request.header("origin"), host: request.header("host"))
        _ = WebAccess.cookieValue(request.header("cookie"), WebAccess.cookieName)
        _ = WebAccess.queryValue(request.query, "token")
        _ = WebAccess.matches(request.header("authorization"), "token")
    }
    let text = String(decoding: bytes, as: UTF8.self)
    // An event's data cannot end it early: exactly one blank line, at its end.
    let event = String(decoding: ServerSentEvent.encode(event: text, data: text), as: UTF8.self)
    precondition(event.hasSuffix("\n\n") && !event.dropLast(2).contains("\n\n"), "an event split: \(event.debugDescription)")
    var throttle = LoginThrottle(capacity: 4)
    for (i, byte) in bytes.prefix(64).enumerated() {
        throttle.failed(String(byte & 7), now: Tick(nanoseconds: Int64(i) * 100_000_000))
    }
    precondition(throttle.count <= 4)
    var ring = LineRing(capacity: 5)
    bytes.withUnsafeBytes { ring.append($0) }
    precondition(ring.lines.count <= 5)
    var metrics = MetricsText()
    metrics.family("fuzz_total", .counter, help: text, [([("label", text)], Double(size))])
    precondition(!metrics.text.isEmpty)
    return 0
}
