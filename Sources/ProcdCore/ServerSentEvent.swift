/// One Server-Sent Event as it goes on the wire (`text/event-stream`).
public enum ServerSentEvent {
    /// `event: NAME` and one `data:` line per line of `data`; a blank line ends it. Line
    /// breaks of any kind start a new `data:` line, so no text can end the event early.
    public static func encode(event: String, data: String) -> [UInt8] {
        var out = "event: \(event.filter { !breaksLine($0) })\n"
        var line = ""
        for character in data {
            if breaksLine(character) {
                out += "data: \(line)\n"
                line = ""
            } else {
                line.append(character)
            }
        }
        out += "data: \(line)\n\n"
        return Array(out.utf8)
    }

    private static func breaksLine(_ character: Character) -> Bool {
        character.unicodeScalars.contains { $0 == "\n" || $0 == "\r" }
    }

    /// A comment line: keeps intermediaries from closing a quiet stream, shows nothing.
    public static let comment: [UInt8] = Array(": procd\n\n".utf8)
}
