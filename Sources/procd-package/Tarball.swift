/// `procd-0.1.0-linux-x86_64.tar.gz`: the tree under one folder, with install.sh beside it.
struct Tarball {
    let source: SourceInfo
    let tree: [TreeEntry]

    var folder: String { "procd-\(source.version)-linux-\(source.machine)" }
    var fileName: String { folder + ".tar.gz" }

    func build(scratch: String) throws -> [UInt8] {
        var archive = TarArchive(time: source.timestamp)
        try archive.addDirectory(folder)
        for sub in Payload.folders(of: tree) { try archive.addDirectory(folder + "/" + sub) }
        for entry in tree {
            switch entry.kind {
            case .file(let bytes, let mode): try archive.addFile(folder + "/" + entry.path, bytes, mode: mode)
            case .link(let target): try archive.addSymlink(folder + "/" + entry.path, to: target)
            }
        }
        try archive.addFile(folder + "/install.sh", Array(InstallScript(tree: tree).text.utf8), mode: 0o755)
        return try Tool.filter(["gzip", "-9nc"], archive.finished, scratch: scratch)
    }
}
