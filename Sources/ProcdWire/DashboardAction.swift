import ProcdCore

/// What the dashboard's buttons may ask for, as the wire request each one becomes.
///
/// The page posts `{"action":"restart","target":"3"}` (`count` for scale); anything else
/// is refused here, so the web listener can never send the daemon a request the control
/// socket's own client could not.
public enum DashboardAction: String, CaseIterable, Sendable {
    case start, stop, restart, reload, scale, flush

    public struct Refusal: Error, Equatable, Sendable {
        public var message: String
    }

    /// The command and arguments for a posted body.
    public static func request(for body: JSON) throws(Refusal) -> (WireCommand, JSON) {
        guard case .object = body else { throw Refusal(message: "the body must be a JSON object") }
        guard let name = body["action"]?.stringValue, let action = DashboardAction(rawValue: name) else {
            let known = allCases.map(\.rawValue).joined(separator: ", ")
            throw Refusal(message: "'action' must be one of: \(known)")
        }
        guard let target = body["target"]?.stringValue, !target.isEmpty, target.count <= 256 else {
            throw Refusal(message: "'target' must be a process id or an app name")
        }
        switch action {
        case .start:
            return (.start, .object(["target": .string(target)]))
        case .stop, .restart, .reload:
            return (WireCommand(rawValue: action.rawValue) ?? .restart, .object(["targets": .array([.string(target)])]))
        case .flush:
            return (.flush, .object(["targets": .array([.string(target)])]))
        case .scale:
            guard let count = body["count"]?.intValue, (1...1024).contains(count) else {
                throw Refusal(message: "'count' must be a number of instances from 1 to 1024")
            }
            return (.scale, .object(["app": .string(target), "count": .int(count)]))
        }
    }
}
