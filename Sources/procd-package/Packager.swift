import Foundation
import ProcdPlatform

/// Builds the release binary and writes the .deb, the tarball and SHA256SUMS.
struct Packager {
    var source: SourceInfo
    /// Where the packages go: `.build/dist` under the package root unless told.
    var output: String
    /// SwiftPM's build folder for the release build; nil for its default, `.build`. The
    /// tests give their own: the `swift test` that runs them holds the lock on `.build`.
    var scratchPath: String?

    /// Each step, then one line a package on stdout: its path and size.
    func run() throws {
        guard let scratch = File.makeTemporaryDirectory(prefix: "/tmp/procd-package-") else {
            throw PackageError("unable to make a temporary folder in /tmp")
        }
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let binary = try releaseBinary(scratch: scratch)
        let payload = try prepare(binary: binary, scratch: scratch)

        try File.makeDirectory(output, mode: 0o755)
        let deb = DebianPackage(source: source, tree: payload.tree(.debian))
        let tarball = Tarball(source: source, tree: payload.tree(.tarball))
        let written = [(deb.fileName, try deb.build(scratch: scratch)), (tarball.fileName, try tarball.build(scratch: scratch))]
        for (name, bytes) in written {
            try File.writeAtomically(output + "/" + name, bytes, mode: 0o644, durable: false)
        }
        let sums = try Tool.text(["sha256sum"] + written.map(\.0), cwd: output) + "\n"
        try File.writeAtomically(output + "/SHA256SUMS", Array(sums.utf8), mode: 0o644, durable: false)
        for (name, bytes) in written {
            print("\(output)/\(name)  \(bytes.count) bytes")
        }
        print("\(output)/SHA256SUMS")
    }

    /// procd built by `swift build -c release` (a no-op when it is up to date), stripped
    /// as Debian strips (strip(1) with --remove-section=.comment), then stamped with the
    /// commit. procctl needs no build of its own: the packages link it to procd.
    private func releaseBinary(scratch: String) throws -> [UInt8] {
        let build = ["swift", "build", "-c", "release", "--product", "procd"] + (scratchPath.map { ["--scratch-path", $0] } ?? [])
        log("building: \(build.joined(separator: " "))")
        try Tool.passThrough(build, cwd: source.root)
        let folder = try Tool.text(build + ["--show-bin-path"], cwd: source.root)
        let stripped = scratch + "/procd"
        try Tool.passThrough(["strip", "--remove-section=.comment", "-o", stripped, folder + "/procd"], cwd: scratch)
        let binary = try File.read(stripped, limit: 1 << 30)
        log("stamping commit \(source.commit ?? "unknown") into procd")
        return try StampWriter.stamp(binary, commit: source.commit ?? "unknown")
    }

    /// The files both packages share, read from the package root and compressed once.
    private func prepare(binary: [UInt8], scratch: String) throws -> Payload {
        func read(_ relative: String) throws -> [UInt8] { try File.read(source.root + "/" + relative) }
        func gzip(_ bytes: [UInt8]) throws -> [UInt8] { try Tool.filter(["gzip", "-9nc"], bytes, scratch: scratch) }
        let debian = DebianFiles(source: source)
        return Payload(
            binary: binary,
            manPages: try [(1, "procctl.1"), (5, "procd-ecosystem.5"), (8, "procd.8")].map {
                ($0.0, $0.1, try gzip(read("man/" + $0.1)))
            },
            bash: try read("completions/procctl.bash"),
            zsh: try read("completions/_procctl"),
            fish: try read("completions/procctl.fish"),
            copyright: Array(try debian.copyright(license: String(decoding: read("LICENSE"), as: UTF8.self)).utf8),
            gzippedChangelog: try gzip(Array(debian.changelog.utf8)),
            lintianOverrides: Array(debian.lintianOverrides.utf8))
    }
}

/// A progress line on stderr, so stdout holds only the list of packages.
func log(_ text: String) {
    _ = Environment.write("procd-package: \(text)\n", to: Environment.standardError)
}
