/// How an app fits a stack: what it waits for, how its readiness and liveness are
/// probed, and how it is stopped.
extension AppAttributes {
    static let stack: [AppAttribute] = [
        AppAttribute("depends_on", type: .list,
                     flag: .value("depends-on", "NAME[:COND]", "start once app NAME is COND: online (the default), started, healthy, completed, completed_successfully or log_ready", repeatable: true),
                     group: .stack, label: "depends on", display: .dependencies, summary: "apps to wait for, each with a condition (default online)",
                     example: ["db:healthy"], read: { input, spec throws(AttributeError) in
                         // Added to what is there: `--depends-on` adds to a config file's.
                         switch Dependency.parse(input.value) {
                         case .success(let found):
                             for dependency in found where !spec.dependsOn.contains(where: { $0.name == dependency.name }) {
                                 spec.dependsOn.append(dependency)
                             }
                         case .failure(let error): throw AttributeError(error.message)
                         }
                     }, write: { $0.dependsOn.isEmpty ? nil : Dependency.json($0.dependsOn) }),
        AppAttribute("readiness_probe", type: .object, group: .stack, label: "readiness probe", display: .probe,
                     summary: "an exec or http_get check that decides when the app is online", exportNote: "readiness probe",
                     example: ["exec": ["command": "true"]], read: { input, spec throws(AttributeError) in
                         spec.readinessProbe = try input.probe("readiness_probe")
                     }, write: { $0.readinessProbe?.json }),
        AppAttribute("liveness_probe", type: .object, group: .stack, label: "liveness probe", display: .probe,
                     summary: "an exec or http_get check whose failures restart the app", exportNote: "liveness probe",
                     example: ["http_get": ["port": 8080, "path": "/live"]], read: { input, spec throws(AttributeError) in
                         spec.livenessProbe = try input.probe("liveness_probe")
                     }, write: { $0.livenessProbe?.json }),
        AppAttribute("stop_command", type: .text, flag: .value("stop-command", "COMMAND", "run COMMAND (through sh) to stop the app, in place of its kill signal"),
                     group: .stack, label: "stop command", summary: "a command run to stop the app, in place of its kill signal",
                     example: "redis-cli shutdown", read: { input, spec throws(AttributeError) in
                         spec.stopCommand = try input.nonEmptyText("the command")
                     }, write: { $0.stopCommand.map(JSON.string) }),
        AppAttribute("ready_log_line", type: .text, flag: .value("ready-log-line", "TEXT", "the output line (a part of it) that makes the app log_ready"),
                     group: .stack, label: "ready log line", summary: "text in an output line that satisfies log_ready",
                     example: "Ready to accept connections", read: { input, spec throws(AttributeError) in
                         let text = try input.text()
                         guard !text.isEmpty else { throw AttributeError("the text to wait for is empty") }
                         spec.readyLogLine = text
                     }, write: { $0.readyLogLine.map(JSON.string) }),
    ]
}

extension AttributeInput {
    func probe(_ field: String) throws(AttributeError) -> Probe {
        switch Probe.parse(value, field: field) {
        case .success(let probe): return probe
        case .failure(let error): throw AttributeError(error.message)
        }
    }
}
