import CProcdLinux
import Glibc

/// inotify(7) over directories: each change names the directory's watch and the entry.
public final class Inotify {
    public let fd: OwnedFD

    public struct Change: Sendable {
        public var watch: Int32
        public var name: String
        public var isDirectory: Bool
        /// The directory was created or moved in (it needs a watch of its own).
        public var isNewDirectory: Bool
        /// The watch is gone (its directory was removed).
        public var isWatchRemoved: Bool
    }

    public init() throws(SystemError) {
        fd = OwnedFD(adopting: try sys("inotify_init1") { procd_inotify_init() })
    }

    public func watchDirectory(_ path: String) throws(SystemError) -> Int32 {
        try sys("inotify_add_watch", path: path) { procd_inotify_watch_directory(fd.raw, path) }
    }

    /// Reads every pending change, without blocking.
    public func drain(into buffer: UnsafeMutableRawBufferPointer) -> [Change] {
        var changes: [Change] = []
        while true {
            guard case .bytes(let n)? = try? fd.read(into: buffer) else { return changes }
            var offset = 0
            // struct inotify_event: int wd; uint32 mask, cookie, len; char name[len].
            while offset + 16 <= n {
                let watch = buffer.load(fromByteOffset: offset, as: Int32.self)
                let mask = buffer.load(fromByteOffset: offset + 4, as: UInt32.self)
                let length = Int(buffer.load(fromByteOffset: offset + 12, as: UInt32.self))
                let nameBytes = buffer[(offset + 16)..<min(offset + 16 + length, n)].prefix { $0 != 0 }
                let isDirectory = mask & PROCD_IN_ISDIR != 0
                changes.append(Change(
                    watch: watch, name: String(decoding: nameBytes, as: UTF8.self), isDirectory: isDirectory,
                    isNewDirectory: isDirectory && mask & (PROCD_IN_CREATE | PROCD_IN_MOVED_TO) != 0,
                    isWatchRemoved: mask & PROCD_IN_IGNORED != 0))
                offset += 16 + length
            }
        }
    }
}
