/// An app as the user described it (command-line options or an ecosystem entry), before
/// paths, interpreters and the CPU count are resolved into an `AppSpec`.
public struct AppDraft: Equatable, Sendable {
    /// The app name; nil takes the script's or program's name.
    public var name: String?
    /// A script path, a program name, or (with `isCommandLine`) a whole command line.
    public var script: String
    public var isCommandLine = false
    public var args: [String] = []
    /// nil chooses by extension; "none" runs the script itself.
    public var interpreter: String?
    public var interpreterArgs: [String] = []
    /// Relative to the directory of the config file (or the current directory).
    public var cwd: String?
    /// `N`, `max`, `0` (every CPU) or `-1` (every CPU but one).
    public var instances: String?
    /// dotenv files read at start, relative to cwd.
    public var envFiles: [String] = []
    /// Everything else, with its final values: env, namespace, listen, policies, logs.
    public var template: AppSpec

    public init(script: String) {
        self.script = script
        template = AppSpec(name: "", command: [], cwd: "/")
    }

    /// Resolves `instances` against the number of CPUs; nil with the reason when invalid.
    public func instanceCount(cpus: Int) -> Result<Int, SpecError> {
        guard let text = instances?.trimmingSpaces(), !text.isEmpty else { return .success(1) }
        switch text {
        case "max", "0": return .success(max(cpus, 1))
        case "-1": return .success(max(cpus - 1, 1))
        default:
            guard let n = Int(text), n > 0, n <= 100_000 else {
                return .failure(SpecError(field: "instances", message: "expected a number, \"max\" or -1, got \(text)"))
            }
            return .success(n)
        }
    }
}
