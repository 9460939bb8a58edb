/// The messages between the daemon and its keeper, one per packet of their socket pair.
///
/// The daemon tells the keeper which descriptors to hold (`hold`, with the descriptor
/// attached) and which to let go (`drop`); a daemon that starts says `hello` and gets back
/// every descriptor held (`have`) and every exit the keeper reaped meanwhile (`exit`),
/// then `end`, and `up` once its loop runs. Later exits of processes the keeper reaps come as `exit` too.
public enum KeeperMessage: Equatable, Sendable {
    case hello
    /// The daemon has taken everything back and runs its loop: a crash from now on is not
    /// a crash at start-up.
    case up
    case hold(key: String, meta: String)
    case drop(key: String)
    case have(key: String, meta: String)
    case exit(pid: Int32, status: ExitStatus)
    case end

    public var text: String {
        switch self {
        case .hello: "hello"
        case .up: "up"
        case .hold(let key, let meta): "hold \(key) \(meta)"
        case .drop(let key): "drop \(key)"
        case .have(let key, let meta): "have \(key) \(meta)"
        case .exit(let pid, .code(let code)): "exit \(pid) code \(code)"
        case .exit(let pid, .signal(let signal)): "exit \(pid) signal \(signal)"
        case .end: "end"
        }
    }

    public init?(_ text: String) {
        let parts = text.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: false).map(String.init)
        switch (parts.first, parts.count) {
        case ("hello", 1): self = .hello
        case ("up", 1): self = .up
        case ("end", 1): self = .end
        case ("drop", 2) where !parts[1].isEmpty: self = .drop(key: parts[1])
        case ("hold", 3) where !parts[1].isEmpty: self = .hold(key: parts[1], meta: parts[2])
        case ("have", 3) where !parts[1].isEmpty: self = .have(key: parts[1], meta: parts[2])
        case ("exit", 3):
            let status = parts[2].split(separator: " ")
            guard let pid = Int32(parts[1]), pid > 0, status.count == 2, let value = Int32(status[1]) else { return nil }
            switch status[0] {
            case "code": self = .exit(pid: pid, status: .code(value))
            case "signal": self = .exit(pid: pid, status: .signal(value))
            default: return nil
            }
        default:
            return nil
        }
    }

    /// A key names one held descriptor: no spaces, no line breaks.
    public static func isValidKey(_ key: String) -> Bool {
        !key.isEmpty && key.utf8.count <= 256 && !key.contains(where: { $0.isWhitespace })
    }
}
