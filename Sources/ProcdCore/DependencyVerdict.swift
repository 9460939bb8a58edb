/// Where an app that is waited for stands, for `depends_on`: every process of it counts.
public struct DependencyState: Equatable, Sendable {
    /// Every process has been forked in this run of the app.
    public var started = false
    /// Every process is online (ready, when it has a readiness signal or probe).
    public var online = false
    /// Every process passed its readiness probe.
    public var healthy = false
    /// Every process has exited for good (no restart follows): one-shot jobs.
    public var completed = false
    /// With `completed`: the exit codes were all 0.
    public var succeeded = false
    /// A line matching `ready_log_line` appeared.
    public var logReady = false
    /// The app gave up (errored) or cannot run.
    public var errored = false

    public init() {}
}

/// Whether an app may start now.
public enum DependencyVerdict: Equatable, Sendable {
    case met
    /// Not yet: what is still awaited ("waiting for migrate: completed_successfully").
    case waiting([Dependency])
    /// Never, as things stand: a dependency errored or completed another way.
    case cannot(String)

    public static func judge(_ dependencies: [Dependency], _ states: [String: DependencyState]) -> DependencyVerdict {
        var awaited: [Dependency] = []
        for dependency in dependencies {
            let state = states[dependency.name] ?? DependencyState()
            switch check(dependency.condition, state) {
            case .met: continue
            case .waiting: awaited.append(dependency)
            case .cannot(let why): return .cannot("\(dependency.name) \(why), so \(dependency.condition.rawValue) cannot be met")
            }
        }
        return awaited.isEmpty ? .met : .waiting(awaited)
    }

    /// The reason shown for a waiting app.
    public var reason: String? {
        switch self {
        case .met: nil
        case .waiting(let awaited): "waiting for " + awaited.map(\.description).joined(separator: ", ")
        case .cannot(let why): "not started: " + why
        }
    }

    private static func check(_ condition: DependencyCondition, _ state: DependencyState) -> DependencyVerdict {
        switch condition {
        case .completed:
            return state.completed || state.errored ? .met : .waiting([])
        case .completedSuccessfully:
            if state.completed { return state.succeeded ? .met : .cannot("exited with a non-zero code") }
            return state.errored ? .cannot("errored") : .waiting([])
        case .started, .online, .healthy, .logReady:
            if state.errored { return .cannot("errored") }
            let met = switch condition {
            case .started: state.started
            case .online: state.online
            case .healthy: state.healthy
            default: state.logReady
            }
            if met { return .met }
            // A one-shot that ended without getting there never will.
            return state.completed ? .cannot("ended without being \(condition.rawValue)") : .waiting([])
        }
    }
}
