// libFuzzer target: the HTTP request parser behind procd's /metrics listener, fed bytes
// as a hostile client would send them, whole and split at every arrival point it picks.
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
    var ring = LineRing(capacity: 5)
    bytes.withUnsafeBytes { ring.append($0) }
    precondition(ring.lines.count <= 5)
    var metrics = MetricsText()
    let text = String(decoding: bytes, as: UTF8.self)
    metrics.family("fuzz_total", .counter, help: text, [([("label", text)], Double(size))])
    precondition(!metrics.text.isEmpty)
    return 0
}
