import ProcdCore
import ProcdPlatform

/// File watching for one app (`--watch`): inotify on every directory under its roots.
final class AppWatcher {
    let token: UInt64
    let inotify: Inotify
    let roots: [String]
    let filter: WatchFilter
    var directories: [Int32: String] = [:]
    /// When the burst of changes is considered over (debounce), and one path it touched.
    var settleAt: Tick?
    var changed: String?

    static let maxDirectories = 8192

    init(token: UInt64, inotify: Inotify, roots: [String], filter: WatchFilter) {
        self.token = token
        self.inotify = inotify
        self.roots = roots
        self.filter = filter
    }

    func relative(_ path: String) -> String {
        for root in roots where path == root || path.hasPrefix(root + "/") {
            return path == root ? "." : String(path.dropFirst(root.count + 1))
        }
        return path
    }

    /// Watches `directory` and everything below it that the filter does not ignore.
    func add(_ directory: String) {
        var pending = [directory]
        while let next = pending.popLast() {
            guard directories.count < Self.maxDirectories else { return }
            guard next == directory || !filter.ignores(relative(next)), let wd = try? inotify.watchDirectory(next) else { continue }
            directories[wd] = next
            for name in File.list(next) {
                let child = next + "/" + name
                if File.isDirectory(child), !filter.ignores(relative(child)) { pending.append(child) }
            }
        }
    }
}
