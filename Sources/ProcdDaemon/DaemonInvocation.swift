import ProcdCore
import ProcdPlatform
import ProcdWire

extension DaemonMain {
    /// How to end instead of running: the status, after the message (or the help) is out.
    struct Exit: Error {
        var code: Int32
    }

    /// `procd [--foreground] [--home DIR] …` read, with the settings the environment gives.
    struct Invocation {
        var foreground = false
        var homePath: String?
        var handoff: String?
        var resurrect = false
        var settings = DaemonSettings()

        static func parse(_ arguments: [String]) -> Result<Invocation, Exit> {
            var invocation = Invocation()
            var texts = (maxSize: Environment.get(EnvironmentName.logMaxSize), retain: Environment.get(EnvironmentName.logRetain),
                         http: Environment.get(EnvironmentName.http))
            var i = 1
            func next() -> String? {
                i += 1
                return i < arguments.count ? arguments[i] : nil
            }
            while i < arguments.count {
                let word = arguments[i]
                switch word {
                case "--foreground", "-f": invocation.foreground = true
                case "--resurrect": invocation.resurrect = true
                case "--home", "--handoff", "--http", "--log-max-size", "--log-retain":
                    guard let given = next() else { return .failure(Exit(code: fail("\(word) needs \(Self.needs[word] ?? "a value")", code: 2))) }
                    switch word {
                    case "--home": invocation.homePath = given
                    case "--handoff": invocation.handoff = given
                    case "--http": texts.http = given
                    case "--log-max-size": texts.maxSize = given
                    default: texts.retain = given
                    }
                case "--version":
                    Environment.write(ProcdVersion.line("procd", commit: BuildStamp.commit), to: Environment.standardOutput)
                    return .failure(Exit(code: 0))
                case "-h", "--help":
                    Environment.write(usage, to: Environment.standardOutput)
                    return .failure(Exit(code: 0))
                default:
                    return .failure(Exit(code: fail("unknown option '\(word)' (see 'procd --help')", code: 2)))
                }
                i += 1
            }
            if let message = invocation.settings.read(maxSize: texts.maxSize, retain: texts.retain, http: texts.http) {
                return .failure(Exit(code: fail(message, code: 2)))
            }
            return .success(invocation)
        }

        static let needs = ["--home": "a directory", "--handoff": "a file", "--http": "[HOST:]PORT"]
    }
}

extension DaemonSettings {
    /// The log rotation and HTTP settings as given; the reason when one is not valid.
    mutating func read(maxSize: String?, retain: String?, http: String?) -> String? {
        if let text = maxSize, !text.isEmpty {
            guard let size = Units.bytes(text) else { return "log max size '\(text)' is not a size such as 10M" }
            logMaxSize = size
        }
        if let text = retain, !text.isEmpty {
            guard let n = Int(text), (0...1000).contains(n) else { return "log retain '\(text)' is not a number from 0 to 1000" }
            logRetain = n
        }
        if let text = http, !text.isEmpty {
            guard var address = ListenAddress.parse(text) else { return "http address '\(text)' is not [HOST:]PORT such as 127.0.0.1:9615" }
            // A bare port stays on this machine; another address must be named.
            if address.host == nil && !text.contains(":") { address.host = "127.0.0.1" }
            self.http = address
        }
        return nil
    }
}
