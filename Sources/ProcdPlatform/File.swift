import CProcdLinux
import Glibc

/// Files and directories: each call wrapped once, errors typed, descriptors close-on-exec.
public enum File {
    public static func exists(_ path: String) -> Bool { access(path, F_OK) == 0 }
    public static func isExecutable(_ path: String) -> Bool { access(path, X_OK) == 0 }
    /// Whether `path` is a directory this process may write in, or could be made as one.
    public static func isUsableDirectory(_ path: String) -> Bool {
        if isDirectory(path) { return access(path, W_OK | X_OK) == 0 }
        let parent = parent(of: path)
        return parent != path && isUsableDirectory(parent) && !exists(path)
    }

    public static func isDirectory(_ path: String) -> Bool {
        var st = stat()
        return stat(path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFDIR
    }

    public static func isRegularFile(_ path: String) -> Bool {
        var st = stat()
        return stat(path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFREG
    }

    /// Size in bytes, or nil when the file cannot be examined.
    public static func size(_ path: String) -> Int64? {
        var st = stat()
        return stat(path, &st) == 0 ? Int64(st.st_size) : nil
    }

    /// The permission bits, or nil when the file cannot be examined.
    public static func mode(_ path: String) -> UInt32? {
        var st = stat()
        return stat(path, &st) == 0 ? UInt32(st.st_mode & 0o7777) : nil
    }

    public static func open(_ path: String, flags: Int32, mode: UInt32 = 0o644) throws(SystemError) -> OwnedFD {
        OwnedFD(adopting: try sys("open", path: path) { Glibc.open(path, flags | O_CLOEXEC, mode_t(mode)) })
    }

    public static func openForReading(_ path: String) throws(SystemError) -> OwnedFD {
        try open(path, flags: O_RDONLY)
    }

    /// Opens for appending, creating the file when missing.
    public static func openForAppending(_ path: String, mode: UInt32 = 0o644) throws(SystemError) -> OwnedFD {
        try open(path, flags: O_WRONLY | O_APPEND | O_CREAT, mode: mode)
    }

    public static func openNull() throws(SystemError) -> OwnedFD {
        try open("/dev/null", flags: O_RDWR)
    }

    public static func read(_ path: String, limit: Int = 64 << 20) throws(SystemError) -> [UInt8] {
        let fd = try openForReading(path)
        defer { fd.close() }
        return try fd.readToEnd(limit: limit)
    }

    /// `count` bytes from the kernel's random source (for tokens).
    public static func randomBytes(_ count: Int) throws(SystemError) -> [UInt8] {
        let fd = try openForReading("/dev/urandom")
        defer { fd.close() }
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: count, alignment: 1)
        defer { buffer.deallocate() }
        var filled = 0
        while filled < count {
            guard case .bytes(let n) = try fd.read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[filled...])) else {
                throw SystemError(call: "read", code: EIO, path: "/dev/urandom")
            }
            filled += n
        }
        return Array(buffer)
    }

    /// Replaces `path` with `contents` atomically: a temp file, fsync, rename, fsync of the directory.
    public static func writeAtomically(_ path: String, _ contents: String, mode: UInt32 = 0o600) throws(SystemError) {
        try writeAtomically(path, Array(contents.utf8), mode: mode)
    }

    /// Replaces `path` with `contents` atomically. With `durable`, the data and the rename
    /// are flushed to disk (they survive a power cut); without, the new file is in place for
    /// every reader at once, which is all a crash of the writing process needs.
    public static func writeAtomically(_ path: String, _ contents: [UInt8], mode: UInt32 = 0o600, durable: Bool = true) throws(SystemError) {
        let temporary = path + ".tmp"
        let fd = try open(temporary, flags: O_WRONLY | O_CREAT | O_TRUNC, mode: mode)
        do {
            let written: Result<Void, SystemError> = contents.withUnsafeBytes { bytes in
                do throws(SystemError) {
                    try fd.writeAll(bytes)
                    return .success(())
                } catch {
                    return .failure(error)
                }
            }
            try written.get()
            if durable { _ = try sys("fsync", path: temporary) { fsync(fd.raw) } }
            fd.close()
        } catch {
            fd.close()
            _ = unlink(temporary)
            throw error
        }
        try rename(temporary, to: path)
        guard durable else { return }
        let directory = parent(of: path)
        if let dirFD = try? open(directory, flags: O_RDONLY | O_DIRECTORY) {
            _ = fsync(dirFD.raw)
            dirFD.close()
        }
    }

    /// A new directory `PREFIXxxxxxx` (mkdtemp(3), mode 0700); nil when it cannot be made.
    public static func makeTemporaryDirectory(prefix: String) -> String? {
        var template = Array((prefix + "XXXXXX").utf8CString)
        let made = template.withUnsafeMutableBufferPointer { buffer -> Bool in
            guard let base = buffer.baseAddress else { return false }
            return mkdtemp(base) != nil
        }
        guard made else { return nil }
        return String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    public static func rename(_ from: String, to: String) throws(SystemError) {
        _ = try sys("rename", path: from) { Glibc.rename(from, to) }
    }

    /// Removes a file; a missing file is not an error.
    public static func remove(_ path: String) throws(SystemError) {
        if unlink(path) == 0 || errno == ENOENT { return }
        throw SystemError(call: "unlink", code: errno, path: path)
    }

    /// Creates a directory with `mode` (and its parents), then forces the mode on it.
    public static func makeDirectory(_ path: String, mode: UInt32) throws(SystemError) {
        if !isDirectory(path) {
            let up = parent(of: path)
            if up != path, !isDirectory(up) { try makeDirectory(up, mode: 0o755) }
            if mkdir(path, mode_t(mode)) != 0 && errno != EEXIST {
                throw SystemError(call: "mkdir", code: errno, path: path)
            }
        }
    }

    public static func setMode(_ path: String, _ mode: UInt32) throws(SystemError) {
        _ = try sys("chmod", path: path) { chmod(path, mode_t(mode)) }
    }

    public static func truncate(_ path: String) throws(SystemError) {
        _ = try sys("truncate", path: path) { Glibc.truncate(path, 0) }
    }

    /// Takes an exclusive advisory lock without waiting; false when another process holds it.
    public static func tryLock(_ fd: OwnedFD) throws(SystemError) -> Bool {
        if procd_lock_file(fd.raw) == 0 { return true }
        if errno == EWOULDBLOCK { return false }
        throw SystemError(call: "flock", code: errno)
    }

    public static func parent(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        if slash == path.startIndex { return "/" }
        return String(path[..<slash])
    }

    /// An absolute, normalised form of `path`, taken from `cwd` when relative.
    public static func absolute(_ path: String, cwd: String) -> String {
        // Most paths given are already so (PROCD_HOME at every start of procd and procctl).
        if isNormalAbsolute(path) { return path }
        let joined = path.hasPrefix("/") ? path : cwd + "/" + path
        var parts: [Substring] = []
        for part in joined.split(separator: "/") {
            if part == "." { continue }
            if part == ".." {
                if !parts.isEmpty { parts.removeLast() }
                continue
            }
            parts.append(part)
        }
        return "/" + parts.joined(separator: "/")
    }

    /// Whether `path` starts with `/` and has no empty, `.` or `..` component and no
    /// trailing `/`, so `absolute` would return it unchanged. A component that merely
    /// starts with a dot (`.procd`) answers false too: `absolute` then does the work.
    static func isNormalAbsolute(_ path: String) -> Bool {
        let slash = UInt8(ascii: "/")
        var previous: UInt8 = 0
        for byte in path.utf8 {
            if previous == 0 && byte != slash { return false }
            if previous == slash && (byte == slash || byte == UInt8(ascii: ".")) { return false }
            previous = byte
        }
        return previous != 0 && previous != slash
    }

    public static func currentDirectory() -> String? {
        var buffer = [CChar](repeating: 0, count: 4096)
        guard getcwd(&buffer, buffer.count) != nil else { return nil }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// The target of a symbolic link such as /proc/self/exe.
    public static func readLink(_ path: String) -> String? {
        var buffer = [CChar](repeating: 0, count: 4096)
        let n = readlink(path, &buffer, buffer.count - 1)
        guard n > 0 else { return nil }
        return String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Names in a directory, without "." and "..".
    public static func list(_ path: String) -> [String] {
        guard let dir = opendir(path) else { return [] }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafePointer(to: entry.pointee.d_name) { pointer in
                pointer.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }
}

extension File {
    public static let readWriteCreate = O_RDWR | O_CREAT
    public static let writeCreateTruncate = O_WRONLY | O_CREAT | O_TRUNC

    /// Sets the file-creation mask, so files and sockets are never created wider than meant.
    public static func setCreationMask(_ mask: UInt32) { umask(mode_t(mask)) }
}

extension File {
    /// The last `count` lines of a file (without their newlines), reading backwards in blocks.
    public static func tail(_ path: String, lines count: Int) throws(SystemError) -> [String] {
        guard count > 0 else { return [] }
        let fd = try openForReading(path)
        defer { fd.close() }
        var end = Int64(lseek(fd.raw, 0, SEEK_END))
        var collected: [UInt8] = []
        var newlines = 0
        let block: Int64 = 65_536
        while end > 0 && newlines <= count {
            let start = max(0, end - block)
            var chunk = [UInt8](repeating: 0, count: Int(end - start))
            let n = chunk.withUnsafeMutableBytes { pread(fd.raw, $0.baseAddress, $0.count, off_t(start)) }
            if n <= 0 { break }
            newlines += chunk[0..<n].reduce(0) { $0 + ($1 == UInt8(ascii: "\n") ? 1 : 0) }
            collected = Array(chunk[0..<n]) + collected
            end = start
        }
        var lines = collected.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        if lines.last?.isEmpty == true { lines.removeLast() }
        return lines.suffix(count).map { String(decoding: $0, as: UTF8.self) }
    }
}
