import ProcdCore
import ProcdPlatform

extension Daemon {
    /// Logs once, when the table grows past what the hard limit on open descriptors can
    /// hold (the soft limit was raised to it at start), and once more when it fits again.
    func checkDescriptorBudget() {
        let count = table.processCount
        guard count != limits.checkedCount else { return }
        limits.checkedCount = count
        let warning = DescriptorBudget.warning(processes: count, limit: Processes.descriptorLimit.hard)
        if let warning, !limits.warned {
            log.warning(warning)
        }
        limits.warned = warning != nil
    }
}

/// What the daemon last said about its descriptor limit.
struct LimitsNotice {
    var checkedCount = -1
    var warned = false
}
