import ProcdCore

/// A `start` of many apps in one request. Apps started from one config file carry the
/// client's whole environment each (2–3 KiB), so the variables every app has with the same
/// value travel once, as `env` beside `apps`, and each app keeps only its own.
public enum StartBatch {
    /// The request's arguments for `apps`.
    public static func arguments(_ apps: [JSON], force: Bool) -> JSONObject {
        let envs = apps.map { $0["env"]?.objectValue ?? JSONObject() }
        var shared = envs.first ?? JSONObject()
        for env in envs.dropFirst() {
            for key in shared.keys where env[key] != shared[key] { shared[key] = nil }
        }
        let trimmed = apps.map { app -> JSON in
            guard case .object(var object) = app, var env = object["env"]?.objectValue else { return app }
            for key in shared.keys { env[key] = nil }
            object["env"] = .object(env)
            return .object(object)
        }
        return ["apps": .array(trimmed), "env": .object(shared), "force": .bool(force)]
    }

    /// The apps of a batch request, each with the shared variables put back.
    public static func apps(_ args: JSON) -> [JSON]? {
        guard let apps = args["apps"]?.arrayValue else { return nil }
        guard let shared = args["env"]?.objectValue, shared.count > 0 else { return apps }
        return apps.map { app -> JSON in
            guard case .object(var object) = app else { return app }
            var env = shared
            for (key, value) in object["env"]?.objectValue?.entries ?? [] { env[key] = value }
            object["env"] = .object(env)
            return .object(object)
        }
    }
}
