import ProcdCore
import ProcdPlatform
import ProcdWire

/// Which processes a subscriber asked about: everything, or ids, app names, namespaces.
struct TargetFilter {
    var all = true
    var ids = Set<Int>()
    var names = Set<String>()
    var namespaces = Set<String>()

    /// Sorts each target into id, app name or namespace. A name no app has yet is taken as
    /// both, so a subscriber can watch an app that is about to start.
    init(_ targets: [String], isApp: (String) -> Bool) {
        all = targets.isEmpty || targets.contains("all")
        for target in targets {
            if let id = Int(target) {
                ids.insert(id)
            } else if isApp(target) {
                names.insert(target)
            } else {
                namespaces.insert(target)
                names.insert(target)
            }
        }
    }

    func matches(id: Int?, app: String, namespace: String) -> Bool {
        all || id.map(ids.contains) == true || names.contains(app) || namespaces.contains(namespace)
    }
}

/// Lifecycle events, delivered as they happen to every client subscribed with `events`.
///
/// Each subscriber's queue is bounded: one that stops reading is dropped once it falls
/// `backlog` bytes behind, so a slow subscriber never holds up the daemon.
final class EventBus {
    struct Subscriber {
        var connection: ControlConnection
        var requestID: Int
        var filter: TargetFilter
    }

    static let backlog = 1 << 20
    private var subscribers: [UInt64: Subscriber] = [:]
    /// Called with a warning when a subscriber is dropped for being slow.
    private let onDrop: (String) -> Void

    init(onDrop: @escaping (String) -> Void) {
        self.onDrop = onDrop
    }

    var isEmpty: Bool { subscribers.isEmpty }
    func isSubscribed(_ token: UInt64) -> Bool { subscribers[token] != nil }

    func subscribe(_ connection: ControlConnection, requestID: Int, filter: TargetFilter) {
        connection.limit = Self.backlog
        subscribers[connection.token] = Subscriber(connection: connection, requestID: requestID, filter: filter)
    }

    func unsubscribe(_ token: UInt64) {
        subscribers[token] = nil
    }

    func publish(_ event: ProcessEvent) {
        guard !subscribers.isEmpty else { return }
        let payload = event.json
        for (token, subscriber) in subscribers where subscriber.filter.matches(id: event.id, app: event.app, namespace: event.namespace)
            || event.kind == .daemon {
            subscriber.connection.send(.event(id: subscriber.requestID, payload))
            if subscriber.connection.isClosed {
                subscribers[token] = nil
                onDrop("dropped an event subscriber that fell more than \(Self.backlog >> 10) KiB behind")
            }
        }
    }
}
