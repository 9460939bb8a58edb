/// The checked-in files generated from the command table, by path from the package root.
///
/// The snapshot test in ProcctlKitTests compares each with its file and, with
/// `PROCD_RECORD_SNAPSHOTS=1`, rewrites them.
public enum GeneratedFiles {
    public static var all: [(path: String, contents: String)] {
        [
            ("man/procctl.1", ManPage.procctl()),
            ("completions/procctl.bash", Completions.bash()),
            ("completions/_procctl", Completions.zsh()),
            ("completions/procctl.fish", Completions.fish()),
        ]
    }
}
