/// A binary .deb written without dpkg-deb (deb(5)): an ar archive of `debian-binary`,
/// `control.tar.gz` (control, md5sums) and `data.tar.xz` (the tree under /usr).
struct DebianPackage {
    let source: SourceInfo
    let tree: [TreeEntry]

    /// The file name Debian gives it: `procd_0.1.0_amd64.deb`.
    var fileName: String { "\(DebianFiles.package)_\(source.version)_\(source.debianArchitecture).deb" }

    func build(scratch: String) throws -> [UInt8] {
        let installed = tree.map { TreeEntry(path: "usr/" + $0.path, kind: $0.kind) }
        var data = TarArchive(time: source.timestamp)
        try data.addDirectory("./")
        for folder in Payload.folders(of: installed) { try data.addDirectory("./" + folder) }
        var sums = ""
        // Like du(1), which dpkg-deb follows: a KiB for each folder and link, files rounded up.
        var kibibytes = Payload.folders(of: installed).count + 1
        for entry in installed {
            switch entry.kind {
            case .file(let bytes, let mode):
                try data.addFile("./" + entry.path, bytes, mode: mode)
                let digest = try Tool.filter(["md5sum"], bytes, scratch: scratch).prefix(32)
                sums += String(decoding: digest, as: UTF8.self) + "  " + entry.path + "\n"
                kibibytes += (bytes.count + 1023) / 1024
            case .link(let target):
                try data.addSymlink("./" + entry.path, to: target)
                kibibytes += 1
            }
        }
        var control = TarArchive(time: source.timestamp)
        try control.addDirectory("./")
        try control.addFile("./control", Array(DebianFiles(source: source).control(installedSize: kibibytes).utf8), mode: 0o644)
        try control.addFile("./md5sums", Array(sums.utf8), mode: 0o644)

        var deb = ArArchive(time: source.timestamp)
        deb.add("debian-binary", Array("2.0\n".utf8))
        deb.add("control.tar.gz", try Tool.filter(["gzip", "-9nc"], control.finished, scratch: scratch))
        deb.add("data.tar.xz", try Tool.filter(["xz", "-6c", "--threads=1"], data.finished, scratch: scratch))
        return deb.bytes
    }
}
