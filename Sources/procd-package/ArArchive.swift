/// An ar(5) archive in the common format, the container of a .deb (deb(5)): a magic line,
/// then each member behind a 60-byte header of space-padded text fields.
struct ArArchive {
    private(set) var bytes: [UInt8] = Array("!<arch>\n".utf8)
    let time: Int

    init(time: Int) { self.time = time }

    mutating func add(_ name: String, _ contents: [UInt8]) {
        func field(_ text: String, _ width: Int) -> String { text + String(repeating: " ", count: max(0, width - text.count)) }
        // dpkg-deb writes member names without GNU ar's trailing slash; so does this.
        let header = field(name, 16) + field(String(time), 12) + field("0", 6) + field("0", 6)
            + field("100644", 8) + field(String(contents.count), 10) + "`\n"
        bytes += Array(header.utf8)
        bytes += contents
        if contents.count % 2 == 1 { bytes.append(0x0a) }
    }
}
