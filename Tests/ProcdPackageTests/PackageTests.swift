import ProcdCore
import ProcdPlatform
import Testing

/// The packages procd-package writes: what they hold, and each installed as a user would,
/// used, and removed without a trace. The first test to run builds them (a release build:
/// minutes when cold, seconds when warm).
@Suite(.serialized) struct PackageTests {
    /// What the .deb installs, below /usr.
    static let installed = [
        "bin/procd", "bin/procctl",
        "share/man/man1/procctl.1.gz", "share/man/man5/procd-ecosystem.5.gz", "share/man/man8/procd.8.gz",
        "share/bash-completion/completions/procctl", "share/zsh/vendor-completions/_procctl",
        "share/fish/vendor_completions.d/procctl.fish",
        "lib/systemd/user/procd.service", "lib/systemd/system/procd@.service",
        "share/doc/procd/copyright", "share/doc/procd/changelog.gz",
    ]

    @Test(.timeLimit(.minutes(10)))
    func theChecksumsMatchThePackages() throws {
        let folder = try BuiltPackages.folder()
        let checked = Command.run(["sha256sum", "-c", "SHA256SUMS"], cwd: folder)
        #expect(checked.status == .code(0), "\(checked.output)")
        #expect(checked.output.split(separator: "\n").count == 2, "one sum for the .deb, one for the tarball: \(checked.output)")
    }

    @Test(.timeLimit(.minutes(10)), .enabled(if: Command.exists("dpkg-deb"), "dpkg-deb is not installed: the .deb is not checked"))
    func theDebianPackageSaysWhatItIsAndHoldsTheTree() throws {
        let deb = try BuiltPackages.deb()
        let info = Command.run(["dpkg-deb", "-I", deb])
        #expect(info.status == .code(0), "\(info.output)")
        for field in ["Package: procd", "Version: \(BuiltPackages.versionAndArchitecture.version)",
                      "Architecture: \(BuiltPackages.versionAndArchitecture.debian)", "Maintainer: ", "Description: "] {
            #expect(info.output.contains(field), "dpkg-deb -I has no '\(field)':\n\(info.output)")
        }
        let contents = Command.run(["dpkg-deb", "-c", deb])
        for path in Self.installed {
            #expect(contents.output.contains(" ./usr/\(path)"), "dpkg-deb -c lists no /usr/\(path)")
        }
        #expect(contents.output.contains("./usr/bin/procctl -> procd"), "procctl is a link to procd")
        #expect(contents.output.split(separator: "\n").allSatisfy { $0.contains(" root/root ") }, "everything is root's")
    }

    @Test(.timeLimit(.minutes(10)), .enabled(if: Command.exists("lintian"), "lintian is not installed"))
    func lintianFindsNoErrorOrWarning() throws {
        let deb = try BuiltPackages.deb()
        let lint = Command.run(["lintian", "--fail-on", "error,warning", deb])
        #expect(lint.status == .code(0), "lintian: \(lint.output)")
        #expect(!lint.output.split(separator: "\n").contains { $0.hasPrefix("E:") || $0.hasPrefix("W:") }, "\(lint.output)")
    }

    /// Installs the .deb for real, so it needs root and a system without procd installed.
    @Test(.timeLimit(.minutes(10)), .enabled(if: Command.exists("dpkg"), "dpkg is not installed: the .deb is not installed"),
          .enabled(if: Processes.effectiveUser == 0, "installing a .deb needs root"),
          .enabled(if: Command.run(["dpkg-query", "-W", "procd"]).status != .code(0), "a procd package is installed already"))
    func theDebianPackageInstallsWorksAndRemovesCleanly() throws {
        let deb = try BuiltPackages.deb()
        // A system's dpkg may be told to skip documentation (Docker images are): not these.
        let install = Command.run(["dpkg", "--path-include=/usr/share/man/*", "--path-include=/usr/share/doc/procd/*", "-i", deb])
        defer { _ = Command.run(["dpkg", "-r", "procd"]) }
        try #require(install.status == .code(0), "dpkg -i: \(install.output)")
        try InstalledProcd(bin: "/usr/bin", bashCompletion: "/usr/share/bash-completion/completions/procctl",
                           units: ["/usr/lib/systemd/user/procd.service", "/usr/lib/systemd/system/procd@.service"]).check()

        let remove = Command.run(["dpkg", "-r", "procd"])
        #expect(remove.status == .code(0), "dpkg -r: \(remove.output)")
        let left = Self.installed.map { "/usr/" + $0 }.filter { File.exists($0) || File.readLink($0) != nil }
        #expect(left.isEmpty, "left behind by dpkg -r: \(left)")
        #expect(!File.exists("/usr/share/doc/procd"))
        #expect(Command.run(["dpkg-query", "-W", "procd"]).status != .code(0), "dpkg still knows procd")
    }

    @Test(.timeLimit(.minutes(10)))
    func theTarballInstallsIntoAPrefixWorksAndUninstallsCleanly() throws {
        let tarball = try BuiltPackages.tarball()
        let scratch = try Command.temporaryFolder()
        defer { Command.removeTree(scratch) }
        let unpacked = Command.run(["tar", "-xzf", tarball, "-C", scratch])
        try #require(unpacked.status == .code(0), "tar: \(unpacked.output)")
        let folders = File.list(scratch)
        try #require(folders.count == 1, "one folder in the tarball: \(folders)")
        let script = scratch + "/" + folders[0] + "/install.sh"
        let prefix = scratch + "/prefix"
        try File.makeDirectory(prefix, mode: 0o755)

        let install = Command.run([script, "--prefix", prefix])
        try #require(install.status == .code(0), "install.sh: \(install.output)")
        let path = prefix + "/bin:" + (Environment.get("PATH") ?? "/usr/bin:/bin")
        try InstalledProcd(bin: prefix + "/bin", bashCompletion: prefix + "/share/bash-completion/completions/procctl",
                           units: [prefix + "/lib/systemd/user/procd.service", prefix + "/lib/systemd/system/procd@.service"],
                           env: ["PATH": path, "MANPATH": prefix + "/share/man"]).check()

        let uninstall = Command.run([script, "--prefix", prefix, "--uninstall"])
        #expect(uninstall.status == .code(0), "install.sh --uninstall: \(uninstall.output)")
        #expect(File.list(prefix).isEmpty, "left in the prefix: \(File.list(prefix))")
    }

    @Test func installShRefusesARelativePrefix() throws {
        let scratch = try Command.temporaryFolder()
        defer { Command.removeTree(scratch) }
        _ = Command.run(["tar", "-xzf", try BuiltPackages.tarball(), "-C", scratch])
        let script = scratch + "/" + (File.list(scratch).first ?? "") + "/install.sh"
        let refused = Command.run([script, "--prefix", "relative/place"])
        #expect(refused.status == .code(2))
        #expect(refused.output.contains("install.sh: error: the prefix must be an absolute path"))
    }

    /// The packages ship one binary; the development build's procd answers to procctl too.
    @Test func procdCalledProcctlIsTheClient() throws {
        let folder = try Command.temporaryFolder()
        defer { Command.removeTree(folder) }
        let link = folder + "/procctl"
        _ = Command.run(["ln", "-s", BuiltPackages.products + "/procd", link])
        let version = Command.run([link, "--version"])
        #expect(version.output == "procctl \(BuiltPackages.versionAndArchitecture.version) (unknown commit)\n")
        let daemon = Command.run([BuiltPackages.products + "/procd", "--version"])
        #expect(daemon.output == "procd \(BuiltPackages.versionAndArchitecture.version) (unknown commit)\n")
    }
}
