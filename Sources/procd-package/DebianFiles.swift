import Foundation

/// The texts Debian wants beside the program: control, copyright, changelog and the
/// lintian override (deb-control(5), Debian Policy 12.5 and 12.7).
struct DebianFiles {
    let source: SourceInfo

    /// The package name, also the name of its folder under /usr/share/doc.
    static let package = "procd"

    /// The binary package's control file; Installed-Size in KiB. `procctl web` opens a
    /// browser through sensible-browser when it is there, hence the suggestion.
    func control(installedSize: Int) -> String {
        """
        Package: \(Self.package)
        Version: \(source.version)
        Architecture: \(source.debianArchitecture)
        Maintainer: \(source.maintainer)
        Installed-Size: \(installedSize)
        Section: admin
        Priority: optional
        Suggests: sensible-utils
        Description: process manager for Linux, compatible with pm2
         procd keeps programs running: binaries, scripts, Python, Node.js and Ruby
         apps. The daemon, procd, owns the apps, their processes, logs and restart
         policies; the client, procctl, talks to it over a Unix socket and takes
         pm2's commands, options and ecosystem files.
         .
         Both are one fully static binary. Units are included for a daemon per
         login (systemctl --user enable --now procd) and for a daemon per account
         at boot (systemctl enable --now procd@NAME).

        """
    }

    /// The copyright file in Debian's machine-readable format, the licence taken from
    /// LICENSE (MIT, which Debian calls Expat).
    func copyright(license: String) throws -> String {
        let lines = license.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard let holderLine = lines.firstIndex(where: { $0.hasPrefix("Copyright") }) else {
            throw PackageError("LICENSE names no copyright holder")
        }
        let holder = lines[holderLine].replacingOccurrences(of: "Copyright (c) ", with: "")
        var body = Array(lines[(holderLine + 1)...])
        while body.first?.isEmpty == true { body.removeFirst() }
        while body.last?.isEmpty == true { body.removeLast() }
        let indented = body.map { $0.isEmpty ? " ." : " " + $0 }.joined(separator: "\n")
        return """
            Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/
            Upstream-Name: procd

            Files: *
            Copyright: \(holder)
            License: Expat
            \(indented)

            """
    }

    /// A one-entry changelog: the version and the commit it was built from.
    var changelog: String {
        """
        \(Self.package) (\(source.version)) unstable; urgency=medium

          * Built from commit \(source.commit ?? "unknown").

         -- \(source.maintainer)  \(source.changelogDate)

        """
    }

    /// Why lintian's error for a static binary does not apply here.
    var lintianOverrides: String {
        """
        # Static on purpose: no dynamic loader and no relocation of the Swift runtime at
        # start, so procctl starts as fast as /bin/true (README, Install).
        \(Self.package): statically-linked-binary [usr/bin/procd]

        """
    }
}
