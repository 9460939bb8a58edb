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

extension Daemon {
    func configureWatch(_ app: ManagedApp) {
        if let old = app.watcher {
            loop.unwatch(old.inotify.fd.raw, token: old.token)
            old.inotify.fd.close()
            app.watcher = nil
        }
        guard let paths = app.spec.watch else { return }
        let roots = (paths.isEmpty ? [app.spec.cwd] : paths.map { File.absolute($0, cwd: app.spec.cwd) }).filter(File.exists)
        guard !roots.isEmpty else {
            log.warning("\(app.spec.name): nothing to watch: \(paths.joined(separator: ", ")) not found")
            return
        }
        do {
            let watcher = AppWatcher(token: makeToken(), inotify: try Inotify(), roots: roots, filter: WatchFilter(patterns: app.spec.ignoreWatch))
            for root in roots {
                if File.isDirectory(root) {
                    watcher.add(root)
                } else if let wd = try? watcher.inotify.watchDirectory(File.parent(of: root)) {
                    watcher.directories[wd] = File.parent(of: root)
                }
            }
            let name = app.spec.name
            try loop.watch(watcher.inotify.fd.raw, .readable, token: watcher.token) { [unowned self] _ in self.readWatch(name) }
            app.watcher = watcher
            log.info("\(app.spec.name): watching \(watcher.directories.count) director(ies) under \(roots.joined(separator: ", "))")
        } catch {
            log.warning("\(app.spec.name): unable to watch files: \(error)")
        }
    }

    func readWatch(_ appName: String) {
        guard let app = apps[appName], let watcher = app.watcher else { return }
        for change in watcher.inotify.drain(into: loop.scratch) {
            if change.isWatchRemoved {
                watcher.directories[change.watch] = nil
                continue
            }
            guard let directory = watcher.directories[change.watch] else { continue }
            let path = directory + "/" + change.name
            // A watched single file: only that file counts.
            if watcher.roots.allSatisfy({ !File.isDirectory($0) }) && !watcher.roots.contains(path) { continue }
            if watcher.filter.ignores(watcher.relative(path)) { continue }
            if change.isNewDirectory { watcher.add(path) }
            watcher.changed = watcher.relative(path)
            let due = Clock.now() + app.spec.watchDelay
            watcher.settleAt = due
            schedule(.watchSettled(appName), at: due)
        }
    }
}
