// swift-tools-version:6.0
import PackageDescription

// Linked by lld (shipped with the Swift toolchain) on purpose: gold prints glibc's notes
// that getpwnam_r, getaddrinfo and dlopen "in statically linked applications" need the
// system's NSS libraries at run time, which read like errors to a newcomer. The limit is
// known and accepted: only --user/--group and host names in --port look anything up, and
// every glibc system has those libraries; README › Install says so.
let staticRelease: [LinkerSetting] = [
    .unsafeFlags(["-static-executable", "-use-ld=lld"], .when(platforms: [.linux], configuration: .release)),
]

let package = Package(
    name: "procd",
    products: [
        .executable(name: "procd", targets: ["procd"]),
        .executable(name: "procctl", targets: ["procctl"]),
    ],
    targets: [
        // Linux calls that Swift's Glibc module does not expose, the spawn path, and the
        // build stamp the package tool writes the commit into.
        .target(
            name: "CProcdLinux",
            cSettings: [.define("_GNU_SOURCE")]
        ),
        // Pure model: specs, policies, lifecycle state machine, JSON, formatting. No syscalls.
        .target(name: "ProcdCore"),
        // Messages, error codes and framing shared by daemon and client.
        .target(name: "ProcdWire", dependencies: ["ProcdCore", "ProcdPlatform"]),
        // Thin typed wrappers over Glibc and CProcdLinux. The only module importing Glibc.
        .target(name: "ProcdPlatform", dependencies: ["CProcdLinux", "ProcdCore"]),
        .target(name: "ProcdDaemon", dependencies: ["ProcdCore", "ProcdWire", "ProcdPlatform"]),
        .target(name: "ProcctlKit", dependencies: ["ProcdCore", "ProcdWire", "ProcdPlatform"]),
        // Release builds of the two binaries are fully static: no dynamic loader and no
        // relocation of the Swift runtime at start, so procctl starts as fast as /bin/true.
        // `procd run` reads its command line with procctl's parser and config loading.
        .executableTarget(name: "procd", dependencies: ["ProcdDaemon", "ProcctlKit"], linkerSettings: staticRelease),
        .executableTarget(name: "procctl", dependencies: ["ProcctlKit"], linkerSettings: staticRelease),
        // A misbehaving program for the tests: exits, ignores signals, floods, forks.
        .executableTarget(name: "procd-fixture", dependencies: ["ProcdPlatform"]),
        .executableTarget(name: "procbench", dependencies: ["ProcdPlatform", "ProcdCore", "ProcdWire", "ProcdTestSupport"]),
        // Writes the .deb, the tarball and SHA256SUMS from a release build (README › Install).
        .executableTarget(name: "procd-package", dependencies: ["ProcdPlatform", "ProcdCore", "ProcdWire"]),
        // Starts the programs the tests run (Foundation's Process.run() can crash on Linux), and
        // the Node server and load client the cluster tests and `procbench cluster` share.
        .target(name: "ProcdTestSupport", dependencies: ["ProcdPlatform"], path: "Tests/ProcdTestSupport"),
        .testTarget(name: "ProcdCoreTests", dependencies: ["ProcdCore"]),
        .testTarget(name: "ProcdWireTests", dependencies: ["ProcdWire"]),
        .testTarget(name: "ProcdPlatformTests", dependencies: ["ProcdPlatform"]),
        // The daemon's subsystems on their own: event loop, process table, pending replies.
        .testTarget(name: "ProcdDaemonTests", dependencies: ["ProcdDaemon", "ProcdCore", "ProcdPlatform"]),
        .testTarget(name: "ProcctlKitTests", dependencies: ["ProcctlKit", "ProcdCore", "ProcdTestSupport"]),
        .testTarget(
            name: "ProcbenchTests",
            dependencies: ["ProcdPlatform", "procbench", "procd", "procctl", "procd-fixture"]
        ),
        // Builds the packages with procd-package, installs them (dpkg -i, install.sh) and
        // removes them again.
        .testTarget(
            name: "ProcdPackageTests",
            dependencies: ["ProcdPlatform", "ProcdCore", "ProcdWire", "procd-package", "procd"]
        ),
        .testTarget(
            name: "ProcdIntegrationTests",
            dependencies: ["ProcdPlatform", "ProcdCore", "ProcctlKit", "ProcdTestSupport", "procd", "procctl", "procd-fixture"]
        ),
    ]
)
