/// A POSIX ustar archive built in memory, every entry owned by root:root with one time,
/// so the same files always give the same bytes (tar(5), "POSIX ustar Archives").
///
/// Written here rather than by tar(1) because GNU tar needs five options to do the same
/// (--owner, --group, --numeric-owner, --mtime, --sort) and other tars lack some of them.
struct TarArchive {
    private(set) var bytes: [UInt8] = []
    let time: Int

    init(time: Int) { self.time = time }

    mutating func addDirectory(_ name: String, mode: UInt32 = 0o755) throws {
        try addHeader(name.hasSuffix("/") ? name : name + "/", mode: mode, size: 0, type: "5", link: "")
    }

    mutating func addFile(_ name: String, _ contents: [UInt8], mode: UInt32) throws {
        try addHeader(name, mode: mode, size: contents.count, type: "0", link: "")
        bytes += contents
        bytes += [UInt8](repeating: 0, count: (512 - contents.count % 512) % 512)
    }

    mutating func addSymlink(_ name: String, to target: String) throws {
        try addHeader(name, mode: 0o777, size: 0, type: "2", link: target)
    }

    /// The archive with its end: two blocks of zeros.
    var finished: [UInt8] { bytes + [UInt8](repeating: 0, count: 1024) }

    private mutating func addHeader(_ name: String, mode: UInt32, size: Int, type: Character, link: String) throws {
        // Names longer than 100 bytes would need the prefix field; procd's never are.
        guard name.utf8.count <= 100, link.utf8.count <= 100 else { throw PackageError("tar: name too long: \(name)") }
        var header = [UInt8](repeating: 0, count: 512)
        func put(_ text: String, at offset: Int) {
            for (i, byte) in text.utf8.enumerated() { header[offset + i] = byte }
        }
        func octal(_ value: Int, at offset: Int, width: Int) {
            let digits = String(value, radix: 8)
            put(String(repeating: "0", count: width - 1 - digits.count) + digits, at: offset)
        }
        put(name, at: 0)
        octal(Int(mode), at: 100, width: 8)
        octal(0, at: 108, width: 8)
        octal(0, at: 116, width: 8)
        octal(size, at: 124, width: 12)
        octal(time, at: 136, width: 12)
        put(String(type), at: 156)
        put(link, at: 157)
        put("ustar\u{0}00", at: 257)
        put("root", at: 265)
        put("root", at: 297)
        // The checksum is summed with its own field read as eight spaces.
        put("        ", at: 148)
        let sum = header.reduce(0) { $0 + Int($1) }
        octal(sum, at: 148, width: 7)
        header[154] = 0
        header[155] = 0x20
        bytes += header
    }
}
