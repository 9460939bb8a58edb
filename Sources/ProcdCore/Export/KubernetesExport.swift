/// Apps as Kubernetes manifests (JSON): a Deployment an app (replicas, command, env,
/// probes from `readiness_probe` and `liveness_probe`, else `health_url`), and a Service for its `--port`s, in one `List`.
public enum KubernetesExport {
    public static func export(_ specs: [AppSpec]) -> ExportResult {
        var items: [JSON] = []
        var files: [(name: String, contents: String)] = []
        var warnings: [String] = []
        for spec in specs {
            let name = dnsName(spec.name)
            if name != spec.name { warnings.append("\(spec.name): named \(name) in Kubernetes (names are lowercase DNS labels)") }
            var objects = [("deployment", deployment(spec, name: name))]
            if !spec.listen.isEmpty { objects.append(("service", service(spec, name: name))) }
            for (kind, object) in objects {
                items.append(object)
                files.append(("\(name)-\(kind).json", object.serialized(pretty: true) + "\n"))
            }
            warnings += ExportNotes.untranslated(spec, engine: "Kubernetes", handled: ["health_url", "readiness_probe", "liveness_probe"])
        }
        // Printed: one List; into a directory: one object a file, as kubectl apply -f DIR reads them.
        let list: JSON = .object(["apiVersion": .string("v1"), "kind": .string("List"), "items": .array(items)])
        return ExportResult(files: files, warnings: warnings, printed: list.serialized(pretty: true) + "\n")
    }

    /// A probe as a container's `readinessProbe` or `livenessProbe`: seconds rounded up
    /// to whole ones (at least 1 for the period and timeout), and no host when it is the
    /// loopback address, so that the kubelet probes the pod's own address.
    static func kubernetes(_ probe: Probe, liveness: Bool) -> JSON {
        var object: JSONObject = [:]
        switch probe.action {
        case .exec(let argv):
            object["exec"] = .object(["command": .array(argv.map { .string($0) })])
        case .httpGet(_, let host, let port, let path, let headers):
            var get: JSONObject = ["path": .string(path), "port": .int(port), "scheme": .string("HTTP")]
            if !["127.0.0.1", "localhost", "::1"].contains(host) { get["host"] = .string(host) }
            if !headers.isEmpty {
                get["httpHeaders"] = .array(headers.keys.sorted().map { .object(["name": .string($0), "value": .string(headers[$0] ?? "")]) })
            }
            object["httpGet"] = .object(get)
        }
        func seconds(_ duration: Duration, atLeast minimum: Int64) -> JSON { .int(Int(max(minimum, (duration.milliseconds + 999) / 1000))) }
        object["initialDelaySeconds"] = seconds(probe.initialDelay, atLeast: 0)
        object["periodSeconds"] = seconds(probe.period, atLeast: 1)
        object["timeoutSeconds"] = seconds(probe.timeout, atLeast: 1)
        // Kubernetes refuses a liveness probe whose success threshold is not 1.
        object["successThreshold"] = .int(liveness ? 1 : probe.successThreshold)
        object["failureThreshold"] = .int(probe.failureThreshold)
        return .object(object)
    }

    static func deployment(_ spec: AppSpec, name: String) -> JSON {
        let labels: JSON = .object(["app": .string(name)])
        var container: JSONObject = [
            "name": .string(name),
            "image": .string("debian:12-slim"),
            "command": .array(spec.command.prefix(1).map { .string($0) }),
            "args": .array(spec.command.dropFirst().map { .string($0) }),
            "workingDir": .string(spec.cwd),
            "env": .array(spec.env.keys.sorted().map { .object(["name": .string($0), "value": .string(spec.env[$0] ?? "")]) }),
        ]
        if !spec.listen.isEmpty {
            container["ports"] = .array(spec.listen.map { .object(["containerPort": .int($0.port), "protocol": .string("TCP")]) })
        }
        if let url = spec.healthURL {
            let probe: JSON = .object([
                "httpGet": .object(["path": .string(url.path), "port": .int(url.port)]),
                "periodSeconds": .int(max(1, Int(spec.healthInterval.milliseconds / 1000))),
                "failureThreshold": .int(spec.healthRetries),
            ])
            container["livenessProbe"] = probe
            container["readinessProbe"] = probe
        }
        // The app's own probes are Kubernetes-shaped already, and say more than health_url.
        if let probe = spec.readinessProbe { container["readinessProbe"] = kubernetes(probe, liveness: false) }
        if let probe = spec.livenessProbe { container["livenessProbe"] = kubernetes(probe, liveness: true) }
        return .object([
            "apiVersion": .string("apps/v1"),
            "kind": .string("Deployment"),
            "metadata": .object(["name": .string(name), "labels": labels]),
            "spec": .object([
                "replicas": .int(spec.instances),
                "selector": .object(["matchLabels": labels]),
                "template": .object([
                    "metadata": .object(["labels": labels]),
                    "spec": .object([
                        "terminationGracePeriodSeconds": .int(max(1, Int((spec.policy.killTimeout.milliseconds + 999) / 1000))),
                        "restartPolicy": .string("Always"),
                        "containers": .array([.object(container)]),
                    ]),
                ]),
            ]),
        ])
    }

    static func service(_ spec: AppSpec, name: String) -> JSON {
        .object([
            "apiVersion": .string("v1"),
            "kind": .string("Service"),
            "metadata": .object(["name": .string(name)]),
            "spec": .object([
                "selector": .object(["app": .string(name)]),
                "ports": .array(spec.listen.map { .object(["name": .string("port-\($0.port)"), "port": .int($0.port), "targetPort": .int($0.port)]) }),
            ]),
        ])
    }

    /// A lowercase RFC 1123 label: other characters become '-', at most 63.
    public static func dnsName(_ name: String) -> String {
        var out = ""
        for character in name.lowercased() {
            out.append(character.isASCII && (character.isLetter || character.isNumber) ? character : "-")
        }
        while out.hasPrefix("-") { out.removeFirst() }
        while out.hasSuffix("-") { out.removeLast() }
        if out.isEmpty { out = "app" }
        return String(out.prefix(63))
    }
}
