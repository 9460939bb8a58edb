import ProcdCore

/// One entry of the installed tree, by its path below the prefix (`bin/procd`).
struct TreeEntry {
    enum Kind {
        case file([UInt8], mode: UInt32)
        case link(to: String)
    }

    var path: String
    var kind: Kind
}

/// Which package a tree is laid out for.
enum Flavour {
    /// The .deb: prefix /usr, zsh's Debian folder, and lintian's override.
    case debian
    /// The tarball: a prefix chosen at install time (/usr/local unless told), zsh's usual folder.
    case tarball

    /// Where the units look for the binaries; install.sh rewrites it for another prefix.
    var binaries: String { self == .debian ? "/usr/bin" : "/usr/local/bin" }
    var zshFunctions: String { self == .debian ? "share/zsh/vendor-completions" : "share/zsh/site-functions" }
}

/// What both packages hold, prepared once: the stripped, stamped binary, the man pages
/// and changelog gzipped, and the files taken as they are.
struct Payload {
    var binary: [UInt8]
    /// (section, file name) → gzipped page.
    var manPages: [(section: Int, name: String, gzipped: [UInt8])]
    var bash: [UInt8]
    var zsh: [UInt8]
    var fish: [UInt8]
    var copyright: [UInt8]
    var gzippedChangelog: [UInt8]
    var lintianOverrides: [UInt8]

    /// The installed tree, parents before children. One binary: procctl is a link to procd,
    /// which picks the client by that name (Sources/procd/main.swift; README › Install).
    func tree(_ flavour: Flavour) -> [TreeEntry] {
        var entries = [
            TreeEntry(path: "bin/procd", kind: .file(binary, mode: 0o755)),
            TreeEntry(path: "bin/procctl", kind: .link(to: "procd")),
        ]
        for page in manPages {
            entries.append(TreeEntry(path: "share/man/man\(page.section)/\(page.name).gz", kind: .file(page.gzipped, mode: 0o644)))
        }
        entries += [
            TreeEntry(path: "share/bash-completion/completions/procctl", kind: .file(bash, mode: 0o644)),
            TreeEntry(path: flavour.zshFunctions + "/_procctl", kind: .file(zsh, mode: 0o644)),
            TreeEntry(path: "share/fish/vendor_completions.d/procctl.fish", kind: .file(fish, mode: 0o644)),
        ]
        for unit in SystemdUnit.packaged(binaries: flavour.binaries) {
            let folder = unit.isUserUnit ? "lib/systemd/user/" : "lib/systemd/system/"
            entries.append(TreeEntry(path: folder + unit.fileName, kind: .file(Array(unit.render().utf8), mode: 0o644)))
        }
        entries += [
            TreeEntry(path: "share/doc/procd/copyright", kind: .file(copyright, mode: 0o644)),
            TreeEntry(path: "share/doc/procd/changelog.gz", kind: .file(gzippedChangelog, mode: 0o644)),
        ]
        if flavour == .debian {
            entries.append(TreeEntry(path: "share/lintian/overrides/procd", kind: .file(lintianOverrides, mode: 0o644)))
        }
        return entries
    }

    /// Every folder the entries need, parents first, without the prefix itself.
    static func folders(of entries: [TreeEntry]) -> [String] {
        var seen = Set<String>()
        var folders: [String] = []
        for entry in entries {
            var parts = entry.path.split(separator: "/").dropLast().map(String.init)
            var chain: [String] = []
            while !parts.isEmpty {
                chain.insert(parts.joined(separator: "/"), at: 0)
                parts.removeLast()
            }
            for folder in chain where seen.insert(folder).inserted { folders.append(folder) }
        }
        return folders.sorted()
    }
}
