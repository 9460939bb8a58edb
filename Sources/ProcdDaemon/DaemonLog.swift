import ProcdCore
import ProcdPlatform

/// The daemon's own log (`procd.log`): one timestamped line per decision, with its reason.
final class DaemonLog {
    private let path: String
    private var file: OwnedFD?
    private let echo: Bool
    /// Called with each line written (for `logs -f`).
    var onLine: ((String) -> Void)?

    /// - Parameter echo: also write each line to stderr (foreground runs under an init system).
    init(path: String, echo: Bool) {
        self.path = path
        file = try? File.openForAppending(path, mode: 0o600)
        self.echo = echo
    }

    /// Reopens the file at its path (after an external logrotate moved it).
    func reopen() {
        guard let fresh = try? File.openForAppending(path, mode: 0o600) else { return }
        file?.close()
        file = fresh
    }

    func info(_ message: String) { write("info", message) }
    func warning(_ message: String) { write("warning", message) }
    func error(_ message: String) { write("error", message) }

    private func write(_ level: String, _ message: String) {
        let line = "\(Format.iso8601(millisecondsSinceEpoch: Clock.wallMilliseconds())) \(level): \(message)\n"
        if let file { try? file.writeAll(line) }
        if echo { Environment.write("procd: \(level): \(message)\n", to: Environment.standardError) }
        onLine?(String(line.dropLast()))
    }

    func close() { file?.close() }
}
