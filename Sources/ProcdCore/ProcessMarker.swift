/// How a process is known to belong to the daemon of one `PROCD_HOME` from its environment
/// alone: every app process gets `PROCD_HOME` and `PROCD_ID`. A daemon that starts after
/// a crash uses it to find processes its table never recorded (started in the turn the
/// crash cut short), so the table and the processes that exist agree again.
public enum ProcessMarker {
    /// Whether `environ` (a /proc environ file: NUL-separated `NAME=value`) marks a
    /// process of the daemon whose home is `home`.
    public static func isManaged(environ: [UInt8], home: String) -> Bool {
        processID(environ: environ, home: home) != nil
    }

    /// The `PROCD_ID` a process of the daemon whose home is `home` carries; nil for any
    /// other process.
    public static func processID(environ: [UInt8], home: String) -> Int? {
        let homeEntry = Array("PROCD_HOME=\(home)".utf8)
        let idPrefix = Array("PROCD_ID=".utf8)
        var hasHome = false
        var id: Int?
        for entry in environ.split(separator: 0, omittingEmptySubsequences: true) {
            if entry.elementsEqual(homeEntry) { hasHome = true }
            if entry.starts(with: idPrefix) { id = Int(String(decoding: entry.dropFirst(idPrefix.count), as: UTF8.self)) }
        }
        return hasHome ? id : nil
    }
}
