/// How the daemon spreads a cluster-mode app's connections over its instances.
public enum Balance: String, Sendable, CaseIterable {
    /// The daemon accepts and hands each connection to the next ready instance in turn,
    /// as Node's own cluster primary does (SCHED_RR): the kernel's wake-up order would
    /// give a few instances most of the load.
    case roundRobin = "round-robin"
    /// Like round-robin, but to the ready instance with the fewest open connections, so
    /// one slowed by CPU or I/O gets no new work while it catches up.
    case leastConnections = "least-connections"
    /// Every instance accepts on the one listening socket itself: no hand-over, uneven.
    case shared

    public static func parse(_ text: String) -> Balance? {
        switch text.lowercased() {
        case "round-robin", "roundrobin", "rr": .roundRobin
        case "least-connections", "leastconn", "least-conn": .leastConnections
        case "shared", "none": .shared
        default: nil
        }
    }

    static func expectation(_ text: String) -> String {
        "expected round-robin, least-connections or shared, got '\(text)'"
    }

    /// What an app without `balance` gets.
    public static let standard = Balance.roundRobin
}
