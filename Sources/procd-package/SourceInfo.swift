import Foundation
import ProcdPlatform
import ProcdWire

/// What the packages say about the source they were built from.
struct SourceInfo {
    /// The package root, where Package.swift is.
    var root: String
    var version = ProcdVersion.current
    /// The commit stamped into the binaries; nil when neither git nor --commit knows it.
    var commit: String?
    /// Every timestamp in the packages (file times, the changelog's date), so that one
    /// commit always gives the same bytes: SOURCE_DATE_EPOCH, else the commit's time.
    var date: Date
    /// The changelog's signer: DEBFULLNAME and DEBEMAIL, as Debian's own tools take them,
    /// else the commit's committer.
    var maintainer: String

    /// Debian's name for this machine's architecture, and the kernel's (the tarball's).
    #if arch(x86_64)
    let debianArchitecture = "amd64", machine = "x86_64"
    #elseif arch(arm64)
    let debianArchitecture = "arm64", machine = "aarch64"
    #else
    #error("procd-package knows the architecture names of x86_64 and arm64 only")
    #endif

    /// Reads the commit, its time and its committer from git in `root`; `commit` given on
    /// the command line wins.
    static func read(root: String, commit given: String?) -> SourceInfo {
        let git = ["git", "-C", root]
        var commit = given ?? (try? Tool.text(git + ["rev-parse", "--short=12", "HEAD"]))
        // A tree with uncommitted changes is not that commit: say so.
        if given == nil, commit != nil, let changes = try? Tool.text(git + ["status", "--porcelain", "--untracked-files=no"]),
           !changes.isEmpty {
            commit? += "-dirty"
        }
        let epoch = Environment.get("SOURCE_DATE_EPOCH") ?? (try? Tool.text(git + ["log", "-1", "--format=%ct"]))
        let date = epoch.flatMap(TimeInterval.init).map { Date(timeIntervalSince1970: $0) } ?? Date()
        var maintainer = "procd maintainers <procd@localhost>"
        if let name = Environment.get("DEBFULLNAME"), let mail = Environment.get("DEBEMAIL") {
            maintainer = "\(name) <\(mail)>"
        } else if let committer = try? Tool.text(git + ["log", "-1", "--format=%cn <%ce>"]), !committer.isEmpty {
            maintainer = committer
        }
        return SourceInfo(root: root, commit: commit, date: date, maintainer: maintainer)
    }

    /// Seconds since the epoch, for archive headers.
    var timestamp: Int { Int(date.timeIntervalSince1970) }

    /// The date as RFC 5322 wants it in a Debian changelog: `Tue, 01 Dec 2026 00:10:54 +0000`.
    var changelogDate: String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss Z"
        return formatter.string(from: date)
    }

    /// The package root: the nearest folder at or above `start` holding Package.swift.
    static func findRoot(from start: String) -> String? {
        var folder = start
        while true {
            if File.exists(folder + "/Package.swift") && File.isDirectory(folder + "/Sources/procd") { return folder }
            if folder == "/" || folder.isEmpty { return nil }
            folder = File.parent(of: folder)
        }
    }
}
