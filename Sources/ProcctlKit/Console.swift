import ProcdCore
import ProcdPlatform

/// A failure that ends the command: its message for stderr and its exit code.
public struct CommandFailure: Error, Sendable {
    public var message: String
    public var exitCode: Int32
    /// The daemon's error code, when the failure came from the daemon.
    public var code: String?
    public init(_ message: String, exitCode: Int32 = 1, code: String? = nil) {
        self.message = message
        self.exitCode = exitCode
        self.code = code
    }
}

/// Where procctl writes: stdout for results, stderr for errors; colour only on a terminal.
public struct Console: Sendable {
    public var color: Bool
    public var width: Int

    public static func detect() -> Console {
        let tty = Environment.isTerminal(Environment.standardOutput)
        let noColor = Environment.get("NO_COLOR").map { !$0.isEmpty } ?? false
        return Console(color: tty && !noColor && Environment.get("TERM") != "dumb",
                       width: tty ? Environment.terminalColumns(Environment.standardOutput) : 0)
    }

    /// Writes to stdout; when the reader has gone (`procctl logs -f | head`), exits as a
    /// process killed by SIGPIPE would.
    public func out(_ text: String) {
        if !Environment.write(text, to: Environment.standardOutput) { Processes.exit(141) }
    }
    public func err(_ text: String) { Environment.write(text, to: Environment.standardError) }

    public func error(_ message: String) { err("procctl: error: \(message)\n") }

    /// Under an errored process's line: the last thing it wrote to stderr, the likely why.
    func lastStderrLine(_ entry: JSON) {
        guard let line = entry["stderr_tail"]?.arrayValue?.last?.stringValue else { return }
        err("  last stderr line: \(line)\n")
    }
    public func warning(_ message: String) { err("procctl: warning: \(message)\n") }

    /// Wraps text in an ANSI SGR style when colour is on.
    public func paint(_ text: String, _ style: String) -> String {
        color ? "\u{1B}[\(style)m\(text)\u{1B}[0m" : text
    }
}
