// libFuzzer target: the wire-protocol decoder (framing, requests, replies), the
// dashboard's actions, and the messages between the daemon and its keeper.
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
            if let body = try? JSONParser.parse(bytes: line) { _ = try? DashboardAction.request(for: body) }
        }
    }
    // A keeper message reads back as itself once written.
    if let message = KeeperMessage(String(decoding: bytes, as: UTF8.self)) {
        precondition(KeeperMessage(message.text) == message, "\(message) does not read back")
    }
    return 0
}
