import ProcdCore
import ProcdPlatform

/// A home taken by one daemon: the directory made private, `procd.pid` locked, and
/// whether the home's last daemon exited cleanly.
///
/// Under a keeper the claim is taken before the keeper forks the daemon (see
/// `DaemonMain.runKept`): a second procd on the same home is refused by its keeper,
/// which then has no daemon to start.
struct HomeClaim {
    /// The lock on `procd.pid`. It is the daemon's: a keeper closes its copy once it has
    /// forked the daemon, so a daemon started again after a crash can take it.
    let lock: OwnedFD
    /// No `procd.pid` was left: the last daemon exited cleanly (see `Daemon.restoreState`).
    let lastRunEnded: Bool
    private let pidFile: String

    /// Why a home was not taken, as said on stderr and on the ready pipe.
    struct Refusal: Error {
        var message: String
    }

    /// Makes the home (0700) and locks `procd.pid` without waiting. `logs/` is made with
    /// the first log file (`LogRouter.file`): a boot creates no more than it needs.
    /// Sets the process's umask to 077 first: nothing procd writes is for others.
    static func take(_ home: ProcdHome) throws(Refusal) -> HomeClaim {
        if home.socket.utf8.count > UnixSocket.maxPathLength {
            throw Refusal(message: "socket path \(home.socket) is longer than \(UnixSocket.maxPathLength) bytes; choose a shorter PROCD_HOME")
        }
        File.setCreationMask(0o077)
        do {
            try File.makeDirectory(home.root, mode: 0o700)
            try File.setMode(home.root, 0o700)
        } catch {
            throw Refusal(message: "unable to create \(home.root): \(error.reason)")
        }
        // A daemon that exits removes procd.pid: one left there means the last one died
        // (or was killed with its keeper), and may have left processes to look for.
        let lastRunEnded = !File.exists(home.pidFile)
        let lock: OwnedFD
        let isLocked: Bool
        do {
            lock = try File.open(home.pidFile, flags: File.readWriteCreate, mode: 0o600)
            isLocked = try File.tryLock(lock)
        } catch {
            throw Refusal(message: "unable to lock \(home.pidFile): \(error.reason)")
        }
        guard isLocked else {
            lock.close()
            let other = (try? File.read(home.pidFile)).map { String(decoding: $0, as: UTF8.self) }?
                .split(separator: "\n").first.map(String.init) ?? "?"
            throw Refusal(message: "another procd is running on \(home.root) (pid \(other))")
        }
        return HomeClaim(lock: lock, lastRunEnded: lastRunEnded, pidFile: home.pidFile)
    }

    /// Writes the calling process's pid into `procd.pid`: the daemon's, once it runs.
    func recordPid() throws(Refusal) {
        do {
            try File.truncate(pidFile)
            try lock.writeAll("\(Processes.currentPid)\n")
        } catch {
            throw Refusal(message: "unable to lock \(pidFile): \(error.reason)")
        }
    }
}
