/// Linux signal names and numbers (x86-64 and arm64 agree on all of these).
public enum Signals {
    public static let table: [(name: String, number: Int32)] = [
        ("SIGHUP", 1), ("SIGINT", 2), ("SIGQUIT", 3), ("SIGILL", 4), ("SIGTRAP", 5),
        ("SIGABRT", 6), ("SIGBUS", 7), ("SIGFPE", 8), ("SIGKILL", 9), ("SIGUSR1", 10),
        ("SIGSEGV", 11), ("SIGUSR2", 12), ("SIGPIPE", 13), ("SIGALRM", 14), ("SIGTERM", 15),
        ("SIGSTKFLT", 16), ("SIGCHLD", 17), ("SIGCONT", 18), ("SIGSTOP", 19), ("SIGTSTP", 20),
        ("SIGTTIN", 21), ("SIGTTOU", 22), ("SIGURG", 23), ("SIGXCPU", 24), ("SIGXFSZ", 25),
        ("SIGVTALRM", 26), ("SIGPROF", 27), ("SIGWINCH", 28), ("SIGIO", 29), ("SIGPWR", 30),
        ("SIGSYS", 31),
    ]

    public static let kill: Int32 = 9
    public static let term: Int32 = 15

    /// Parses `SIGTERM`, `TERM`, `sigterm` or `15`; nil when it names no signal.
    public static func number(named text: String) -> Int32? {
        if let n = Int32(text) { return (1...64).contains(n) ? n : nil }
        var upper = text.uppercased()
        if !upper.hasPrefix("SIG") { upper = "SIG" + upper }
        return table.first { $0.name == upper }?.number
    }

    /// `SIGTERM` for 15; `SIG42` for a number without a name.
    public static func name(of number: Int32) -> String {
        table.first { $0.number == number }?.name ?? "SIG\(number)"
    }
}
