import ProcdCore

/// An app whose definition alone would make a request longer than procd reads.
public struct OversizedApp: Error, Equatable, Sendable {
    /// The app's name.
    public var app: String
    /// What is too large: `env.NAME` for a variable, else the attribute (`args`, …).
    public var key: String
    /// That value's size in the request, in bytes.
    public var bytes: Int
    /// The longest request line procd reads.
    public var limit: Int

    public var message: String {
        "app '\(app)': '\(key)' is \(bytes) bytes, and a request to procd is at most \(limit) bytes"
            + (limit % (1 << 20) == 0 ? " (\(limit >> 20) MiB); " : "; ")
            + "keep large data in a file and pass the app its path"
    }
}

extension StartBatch {
    /// The most apps one `start` request carries: each request is one turn of the daemon.
    public static let maxApps = 500

    /// Room a request's line takes beside its arguments (`{"id":…,"command":"start",…}`).
    static let overhead = 256

    /// Splits the apps of a config file into `start` requests whose lines fit in `limit`
    /// bytes and hold at most `maxApps` apps each, in the file's order.
    ///
    /// Sizes are counted with the variables shared by every app taken out once: a batch
    /// shares at least those, so its request is never longer than counted.
    /// - Throws: `OversizedApp` when one app cannot fit in a request on its own.
    public static func requests(_ apps: [JSON], force: Bool, limit: Int = LineFramer.defaultLimit,
                                maxApps: Int = StartBatch.maxApps) throws(OversizedApp) -> [JSONObject] {
        let envs = apps.map { $0["env"]?.objectValue ?? JSONObject() }
        var shared = envs.first ?? JSONObject()
        for env in envs.dropFirst() {
            for key in shared.keys where env[key] != shared[key] { shared[key] = nil }
        }
        let sharedSize = JSON.object(shared).serialized().utf8.count
        var batches: [[JSON]] = []
        var current: [JSON] = []
        var size = overhead + sharedSize
        for app in apps {
            var own = app
            if case .object(var object) = app, var env = object["env"]?.objectValue {
                for key in shared.keys { env[key] = nil }
                object["env"] = .object(env)
                own = .object(object)
            }
            let appSize = own.serialized().utf8.count + 1
            if overhead + sharedSize + appSize > limit { throw oversized(app, limit: limit) }
            if !current.isEmpty && (size + appSize > limit || current.count >= maxApps) {
                batches.append(current)
                current = []
                size = overhead + sharedSize
            }
            current.append(app)
            size += appSize
        }
        if !current.isEmpty { batches.append(current) }
        return batches.map { arguments($0, force: force) }
    }

    /// The largest value of an app that does not fit, to name in the error.
    static func oversized(_ app: JSON, limit: Int) -> OversizedApp {
        let name = app["name"]?.stringValue ?? "?"
        var largest = (key: "app", bytes: app.serialized().utf8.count)
        var first = true
        for (key, value) in app.objectValue?.entries ?? [] {
            if key == "env", let env = value.objectValue {
                for (variable, text) in env.entries {
                    let bytes = text.serialized().utf8.count
                    if first || bytes > largest.bytes { largest = ("env.\(variable)", bytes) }
                    first = false
                }
                continue
            }
            let bytes = value.serialized().utf8.count
            if first || bytes > largest.bytes { largest = (key, bytes) }
            first = false
        }
        return OversizedApp(app: name, key: largest.key, bytes: largest.bytes, limit: limit)
    }
}
