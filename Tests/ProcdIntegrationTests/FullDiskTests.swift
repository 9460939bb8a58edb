import Foundation
import Testing

/// A `PROCD_HOME` on a full disk: a command whose change cannot be saved says so, and the
/// daemon saves the table once space comes back. Needs root, for a small tmpfs.
@Suite("Full disk", .serialized, .timeLimit(.minutes(1)))
struct FullDiskTests {
    static let canMount = getuid() == 0 && FileManager.default.isExecutableFile(atPath: "/bin/mount")

    /// Issue "Limits and faults": with state.json on a full disk, `start` printed `online`
    /// and exited 0 while procd.log said `No space left on device`.
    @Test(.enabled(if: canMount))
    func aChangeThatCannotBeSavedFailsAndIsSavedOnceSpaceReturns() throws {
        try withSandbox { sandbox in
            try FileManager.default.createDirectory(atPath: sandbox.home, withIntermediateDirectories: true)
            let mount = sandbox.run("/bin/mount", ["-t", "tmpfs", "-o", "size=512k,mode=0700", "tmpfs", sandbox.home])
            try #require(mount.status == 0, "\(mount)")
            defer {
                // The daemon and the keeper hold files there: they go first, then the mount.
                sandbox.noteDaemon()
                let daemon = sandbox.daemonPid
                let keeper = sandbox.keeperPid
                sandbox.procctl("kill")
                _ = sandbox.waitUntil { [daemon, keeper].allSatisfy { $0.map { !ProcessProbe.isAlive($0) } ?? true } }
                let unmount = sandbox.run("/bin/umount", [sandbox.home])
                #expect(unmount.status == 0, "\(unmount)")
            }
            #expect(sandbox.procctl("ping").status == 0)
            let filler = sandbox.home + "/filler"
            _ = sandbox.run("/bin/sh", ["-c", "cat /dev/zero > \(filler)"])
            let start = sandbox.procctl("start", "/bin/sleep", "--name", "nap", "--", "1000")
            #expect(start.status == 1, "\(start)")
            #expect(start.stderr.hasPrefix("procctl: error: "), "\(start)")
            #expect(start.stderr.contains(sandbox.home + "/state.json") && start.stderr.contains("No space left on device"), "\(start)")
            let running = try sandbox.waitForStatus("nap", "online")
            let save = sandbox.procctl("save")
            #expect(save.status == 1, "\(save)")
            #expect(save.stderr.contains(sandbox.home + "/dump.json") && save.stderr.contains("No space left on device"), "\(save)")
            try FileManager.default.removeItem(atPath: filler)
            #expect(sandbox.waitUntil(timeout: .seconds(15)) { sandbox.read(sandbox.home + "/state.json").contains("\"nap\"") },
                    "state.json was not written once space came back\n\(sandbox.diagnostics)")
            let stop = sandbox.procctl("stop", "nap")
            #expect(stop.status == 0, "\(stop)")
            #expect(sandbox.procctl("save").status == 0)
            #expect(running.first?.pid.map { !ProcessProbe.isAlive($0) } ?? false)
        }
    }
}
