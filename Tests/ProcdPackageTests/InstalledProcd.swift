import ProcdCore
import ProcdPlatform
import Testing

/// An installed procd, from the .deb or the tarball, checked the same way: the client
/// starts the daemon next to it and both know their commit, `man` finds the page, bash
/// completes from the installed file, and systemd accepts the units.
struct InstalledProcd {
    /// Where procd and procctl are.
    var bin: String
    /// The installed bash completion file.
    var bashCompletion: String
    var units: [String]
    /// Added to the environment of `man` and systemd-analyze (PATH, MANPATH).
    var env: [String: String] = [:]

    func check() throws {
        let home = try Command.temporaryFolder()
        defer { Command.removeTree(home) }
        let procctl = bin + "/procctl"
        // Whatever happens below, the daemon the ping starts is stopped.
        defer { _ = Command.run([procctl, "kill"], env: ["PROCD_HOME": home]) }
        let ping = Command.run([procctl, "ping"], env: ["PROCD_HOME": home])
        #expect(ping.status == .code(0) && ping.output.hasPrefix("pong: procd "), "procctl ping: \(ping.output)")
        let version = Command.run([procctl, "version"], env: ["PROCD_HOME": home])
        #expect(version.output.hasPrefix("procctl \(BuiltPackages.versionAndArchitecture.version) (commit "), "\(version.output)")
        #expect(version.output.contains("\nprocd \(BuiltPackages.versionAndArchitecture.version) (commit "), "\(version.output)")
        let daemon = Command.run([bin + "/procd", "--version"])
        #expect(daemon.output.hasPrefix("procd \(BuiltPackages.versionAndArchitecture.version) (commit "), "procd --version: \(daemon.output)")
        #expect(!daemon.output.contains("unknown commit"))

        if Command.exists("man") {
            let man = Command.run(["man", "-w", "procctl"], env: env)
            #expect(man.status == .code(0) && man.output.contains("/man1/procctl.1"), "man -w procctl: \(man.output)")
        }
        if Command.exists("bash") {
            let completed = Command.run(["bash", "-c", Self.completeStart, "bash", bashCompletion], env: env)
            let offered = Set(completed.standardOutput.split(separator: "\n").map(String.init))
            #expect(offered.isSuperset(of: ["start", "status", "stop"]), "procctl st<TAB>: \(completed.output)")
        }
        if Command.exists("systemd-analyze") {
            for unit in units {
                let verified = Command.run(["systemd-analyze", "verify", unit], env: env)
                #expect(verified.status == .code(0) && verified.output.isEmpty, "systemd-analyze verify \(unit): \(verified.output)")
            }
        }
    }

    /// Completes `procctl st` with the file given as $1, as bash does on a TAB.
    static let completeStart = """
        helper=/usr/share/bash-completion/bash_completion
        if [ -e "$helper" ]; then source "$helper"; fi
        source "$1" || exit 3
        COMP_WORDS=(procctl st) COMP_CWORD=1 COMP_LINE='procctl st' COMP_POINT=10
        _procctl procctl st procctl
        printf '%s\\n' "${COMPREPLY[@]}"
        """
}
