import CProcdLinux

/// What the running binary knows about the source it was built from.
///
/// The commit is written into the shipped binaries by `procd-package` (see build_stamp.c);
/// a binary from a plain `swift build` does not know it.
public enum BuildStamp {
    /// The commit, possibly with "-dirty"; nil when the build was not stamped.
    public static var commit: String? {
        let text = String(cString: procd_build_commit())
        return text.isEmpty || text == "unknown" ? nil : text
    }
}
