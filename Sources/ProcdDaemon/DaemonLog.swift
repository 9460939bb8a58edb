import ProcdCore
import ProcdPlatform

/// The daemon's own log (`procd.log`): one timestamped line per decision, with its reason.
///
/// It is bounded: past `maxSize` the file moves aside as app logs do (`procd.log.1`
/// newest, `retain` kept), so a fault that repeats cannot fill the disk with it.
final class DaemonLog {
    static let defaultMaxSize: Int64 = 10 << 20
    static let retain = 3

    private let path: String
    private var file: OwnedFD?
    private var size: Int64 = 0
    private let echo: Bool
    /// Whether this writer moves the file aside when full (the daemon's; the keeper, which
    /// writes a line now and then, reopens the file instead).
    private let rotates: Bool
    private let maxSize: Int64
    /// Called with each line written (for `logs -f`).
    var onLine: ((String) -> Void)?

    /// - Parameter echo: also write each line to stderr (foreground runs under an init system).
    init(path: String, echo: Bool, rotates: Bool = true, maxSize: Int64 = defaultMaxSize) {
        self.path = path
        self.echo = echo
        self.rotates = rotates
        self.maxSize = maxSize
        reopen()
    }

    /// Reopens the file at its path (after an external logrotate moved it, or another
    /// writer rotated it).
    func reopen() {
        guard let fresh = try? File.openForAppending(path, mode: 0o600) else { return }
        file?.close()
        file = fresh
        size = File.size(path) ?? 0
    }

    func info(_ message: String) { write("info", message) }
    func warning(_ message: String) { write("warning", message) }
    func error(_ message: String) { write("error", message) }

    private func write(_ level: String, _ message: String) {
        let line = "\(Format.iso8601(millisecondsSinceEpoch: Clock.wallMilliseconds())) \(level): \(message)\n"
        if rotates && size + Int64(line.utf8.count) > maxSize { rotate() }
        if let file, (try? file.writeAll(line)) != nil { size += Int64(line.utf8.count) }
        if echo { Environment.write("procd: \(level): \(message)\n", to: Environment.standardError) }
        onLine?(String(line.dropLast()))
    }

    private func rotate() {
        do {
            try LogFile.shiftAside(path, retain: Self.retain)
        } catch {
            // Unable to move it (a read-only or full disk): start it over rather than grow it.
            try? File.truncate(path)
        }
        reopen()
    }

    func close() { file?.close() }
}
