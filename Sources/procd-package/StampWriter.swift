/// Writes the commit into a built binary's stamp (Sources/CProcdLinux/build_stamp.c):
/// the bytes after "procd-build-commit:", up to the stamp's size, NUL-padded.
enum StampWriter {
    static let marker = Array("procd-build-commit:".utf8)
    /// PROCD_BUILD_STAMP_SIZE in CProcdLinux.h: the marker, the commit and its NUL.
    static let size = 96

    /// The binary with `commit` in its stamp. Throws unless the marker is there exactly
    /// once: anything else means the binary is not procd, or the stamp changed shape.
    static func stamp(_ binary: [UInt8], commit: String) throws -> [UInt8] {
        let value = Array(commit.utf8)
        guard value.count < size - marker.count else { throw PackageError("commit '\(commit)' does not fit the build stamp") }
        let found = occurrences(of: marker, in: binary)
        guard found.count == 1, let start = found.first.map({ $0 + marker.count }) else {
            throw PackageError("the binary holds \(found.count) build stamps, not one; is it procd?")
        }
        var stamped = binary
        let field = start..<(start - marker.count + size)
        stamped.replaceSubrange(field, with: value + [UInt8](repeating: 0, count: field.count - value.count))
        return stamped
    }

    /// Where `pattern` starts in `bytes`, every time.
    static func occurrences(of pattern: [UInt8], in bytes: [UInt8]) -> [Int] {
        guard let first = pattern.first, bytes.count >= pattern.count else { return [] }
        var found: [Int] = []
        bytes.withUnsafeBufferPointer { haystack in
            var i = 0
            while i <= haystack.count - pattern.count {
                if haystack[i] == first && haystack[i..<(i + pattern.count)].elementsEqual(pattern) { found.append(i) }
                i += 1
            }
        }
        return found
    }
}
