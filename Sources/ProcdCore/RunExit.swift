/// When `procd run` exits, and with which code: a container's job is done when every app
/// has ended and none will restart.
public enum RunExit {
    /// What one process slot came to.
    public struct Outcome: Equatable, Sendable {
        public var status: ProcessStatus
        public var lastExit: ExitStatus?
        public var stopExitCodes: [Int32]
        public var stoppedOnRequest: Bool

        public init(status: ProcessStatus, lastExit: ExitStatus?, stopExitCodes: [Int32] = [], stoppedOnRequest: Bool = false) {
            self.status = status
            self.lastExit = lastExit
            self.stopExitCodes = stopExitCodes
            self.stoppedOnRequest = stoppedOnRequest
        }

        /// Ended, and nothing will start it again.
        public var isFinal: Bool { status == .stopped || status == .errored }

        /// The code this ending stands for when it is a failure; nil when it ended cleanly
        /// (exit 0, a stop exit code, or stopped on request).
        public var failureCode: Int32? {
            guard isFinal else { return nil }
            if status == .stopped && stoppedOnRequest { return nil }
            switch lastExit {
            case .code(let code)?:
                if status == .stopped && (code == 0 || stopExitCodes.contains(code)) { return nil }
                return code == 0 ? 1 : code
            case .signal?:
                return 1
            case nil:
                return status == .errored ? 1 : nil
            }
        }
    }

    /// The exit code once every slot is final: `firstFailure` (the first failure seen, in
    /// the order they happened) or 0; nil while anything runs or will restart, or when
    /// there is nothing at all.
    public static func code(_ outcomes: [Outcome], firstFailure: Int32?) -> Int32? {
        guard !outcomes.isEmpty, outcomes.allSatisfy(\.isFinal) else { return nil }
        return firstFailure ?? outcomes.lazy.compactMap(\.failureCode).first ?? 0
    }
}
