/// Samples of one figure; summarised by median, minimum and maximum.
struct Samples: Sendable {
    private(set) var values: [Double] = []

    mutating func add(_ value: Double) { values.append(value) }

    var isEmpty: Bool { values.isEmpty }
    var minimum: Double? { values.min() }
    var maximum: Double? { values.max() }

    /// The middle value (the mean of the two middle ones for an even count).
    var median: Double? {
        guard !values.isEmpty else { return nil }
        let sorted = values.sorted()
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }
}

/// Who a sample belongs to: a manager, or the reference it is compared with.
enum Column: String, CaseIterable, Sendable {
    case procd, floor, supervisord, baseline
}

/// Every figure the benchmark reports, with its unit and what its baseline column holds.
enum Metric: String, CaseIterable, Sendable {
    case listOne, listMany
    case rssZero, rssMany, rssScale
    case keeperRSS, keeperPrivate
    case idleCPU, idleWakeups
    case respawn
    case startMany, stopMany
    case startScale, listScale, stopScale
    case floodCapture, floodFile, floodLost
    case startApps, stopApps, startAppsLarge, stopAppsLarge, startAppsScale, stopAppsScale
    case listRPC, listRPCFull

    func title(_ options: Options) -> String {
        switch self {
        case .listOne: return "list round trip, 1 process"
        case .listMany: return "list round trip, \(options.many) processes"
        case .rssZero: return "daemon RSS idle, 0 processes"
        case .rssMany: return "daemon RSS idle, \(options.many) processes"
        case .keeperRSS: return "keeper RSS, \(options.many) processes"
        case .keeperPrivate: return "keeper private memory, \(options.many) processes"
        case .rssScale: return "daemon RSS idle, \(options.scale) processes"
        case .idleCPU: return "daemon CPU, \(options.idleSeconds) s idle, \(options.many) procs"
        case .idleWakeups: return "daemon wake-ups, \(options.idleSeconds) s idle"
        case .respawn: return "respawn after kill -9"
        case .startMany: return "start \(options.many) until online"
        case .stopMany: return "stop all \(options.many)"
        case .startScale: return "start \(options.scale) until online"
        case .listScale: return "list round trip, \(options.scale) processes"
        case .stopScale: return "stop all \(options.scale)"
        case .floodCapture: return "log capture, \(options.floodMiB) MiB flood"
        case .floodFile: return "flood written straight to a file"
        case .floodLost: return "flood bytes lost"
        case .startApps: return "start \(options.apps) apps from one file"
        case .stopApps: return "stop all \(options.apps) apps"
        case .startAppsLarge: return "start \(options.appsLarge) apps from one file"
        case .stopAppsLarge: return "stop all \(options.appsLarge) apps"
        case .startAppsScale: return "start \(options.appsScale) apps from one file"
        case .stopAppsScale: return "stop all \(options.appsScale) apps"
        case .listRPC: return "list RPC, \(options.many) procs, \(options.rpcClients) clients"
        case .listRPCFull: return "full JSON list RPC, \(options.many) procs, \(options.rpcClients) clients"
        }
    }

    var unit: String {
        switch self {
        case .listOne, .listMany, .listScale, .respawn, .startMany, .stopMany, .startScale, .stopScale, .idleCPU: return "ms"
        case .startApps, .stopApps, .startAppsLarge, .stopAppsLarge, .startAppsScale, .stopAppsScale: return "ms"
        case .listRPC, .listRPCFull: return "req/s"
        case .rssZero, .rssMany, .rssScale, .keeperRSS, .keeperPrivate: return "MiB"
        case .idleWakeups, .floodLost: return "count"
        case .floodCapture, .floodFile: return "MiB/s"
        }
    }

    /// What the baseline column means for this figure, if it has one.
    var baseline: String? {
        switch self {
        case .listOne, .listMany, .listScale: return "exec /bin/true"
        case .floodCapture: return "writer | cat > file"
        case .floodFile: return "writer > file"
        default: return nil
        }
    }

    /// Throughputs are better when higher; everything else when lower.
    var isHigherBetter: Bool { [.floodCapture, .floodFile, .listRPC, .listRPCFull].contains(self) }
}

/// Everything measured in one run, and what failed on the way.
struct Results: Sendable {
    private var table: [Metric: [Column: Samples]] = [:]
    /// Failures, each with the manager and the figures it cost (empty: none in particular).
    private(set) var errors: [(column: Column, metrics: Set<Metric>, message: String)] = []

    mutating func add(_ metric: Metric, _ column: Column, _ value: Double) {
        table[metric, default: [:]][column, default: Samples()].add(value)
    }

    mutating func fail(_ column: Column, _ metrics: Set<Metric>, _ message: String) {
        errors.append((column, metrics, message))
    }

    func samples(_ metric: Metric, _ column: Column) -> Samples { table[metric]?[column] ?? Samples() }

    func median(_ metric: Metric, _ column: Column) -> Double? { samples(metric, column).median }

    func errors(_ column: Column, _ metrics: Set<Metric>) -> [String] {
        errors.filter { $0.column == column && !$0.metrics.isDisjoint(with: metrics) }.map(\.message)
    }
}
