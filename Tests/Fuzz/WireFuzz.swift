// libFuzzer target: the wire-protocol decoder (framing, requests, replies).
// Built by run.sh together with the sources of ProcdCore and ProcdWire as one module.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzWire(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    var framer = LineFramer(limit: 4096)
    // Feed in two uneven chunks so lines that straddle reads are exercised.
    let cut = bytes.isEmpty ? 0 : Int(bytes[0]) % (bytes.count + 1)
    for chunk in [bytes[..<cut], bytes[cut...]] {
        for item in framer.append(chunk) {
            guard case .line(let line) = item else { continue }
            if case .success(let request) = Request.decode(line) {
                _ = request.json.serialized()
            }
            _ = Reply.decode(line)
        }
    }
    return 0
}
