// procd-package: builds procd for release and writes .build/dist/procd_VERSION_ARCH.deb,
// procd-VERSION-linux-ARCH.tar.gz and SHA256SUMS (README › Install). A developer tool:
// it is not in the packages it makes.
import ProcdPlatform

let usage = """
    usage: swift run -c release procd-package [--output DIR] [--commit COMMIT]
                                              [--scratch-path DIR]

    Builds procd with 'swift build -c release' and writes a Debian package, a tarball
    with install.sh, and SHA256SUMS. The binaries are stamped with the commit
    (git rev-parse HEAD, '-dirty' when the tree has changes) unless --commit names one.
      --output DIR     where the packages go (default: .build/dist)
      --commit COMMIT  the commit to stamp, for a tree without git
      --scratch-path DIR
                       the release build's folder (default: SwiftPM's, .build)

    """

func fail(_ message: String, code: Int32) -> Never {
    _ = Environment.write("procd-package: error: \(message)\n", to: Environment.standardError)
    Processes.exit(code)
}

var output: String?
var commit: String?
var scratchPath: String?
var words = Array(CommandLine.arguments.dropFirst())[...]
while let word = words.popFirst() {
    switch word {
    case "--output", "--commit", "--scratch-path":
        guard let value = words.popFirst() else { fail("\(word) needs a value\n" + usage, code: 2) }
        switch word {
        case "--output": output = value
        case "--commit": commit = value
        default: scratchPath = File.absolute(value, cwd: File.currentDirectory() ?? ".")
        }
    case "-h", "--help":
        _ = Environment.write(usage, to: Environment.standardOutput)
        Processes.exit(0)
    default:
        fail("unknown option '\(word)'\n" + usage, code: 2)
    }
}

let cwd = File.currentDirectory() ?? "."
guard let root = SourceInfo.findRoot(from: cwd) else { fail("run it inside the procd package (no Package.swift above \(cwd))", code: 1) }
do {
    let source = SourceInfo.read(root: root, commit: commit)
    try Packager(source: source, output: File.absolute(output ?? root + "/.build/dist", cwd: cwd), scratchPath: scratchPath).run()
} catch {
    fail("\(error)", code: 1)
}
