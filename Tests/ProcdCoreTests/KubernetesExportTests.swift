import Testing

@testable import ProcdCore

/// The app's own probes in a Kubernetes Deployment.
@Suite struct KubernetesExportTests {
    private func container(_ spec: AppSpec) -> JSON? {
        KubernetesExport.deployment(spec, name: spec.name)["spec"]?["template"]?["spec"]?["containers"]?.arrayValue?.first
    }

    @Test func probesBecomeTheContainersProbesInWholeSeconds() throws {
        var spec = AppSpec(name: "api", command: ["/usr/bin/node", "server.js"], cwd: "/srv")
        var readiness = Probe(action: .httpGet(scheme: "http", host: "127.0.0.1", port: 8080, path: "/ready", headers: ["X-Probe": "1"]))
        readiness.period = .milliseconds(500)
        readiness.successThreshold = 2
        var liveness = Probe(action: .exec(["/bin/sh", "-c", "pg_isready -q"]))
        liveness.initialDelay = .milliseconds(1500)
        liveness.successThreshold = 3
        spec.readinessProbe = readiness
        spec.livenessProbe = liveness
        let probes = try #require(container(spec))
        #expect(probes["readinessProbe"] == .object([
            "httpGet": .object(["path": .string("/ready"), "port": .int(8080), "scheme": .string("HTTP"),
                                "httpHeaders": .array([.object(["name": .string("X-Probe"), "value": .string("1")])])]),
            "initialDelaySeconds": .int(0), "periodSeconds": .int(1), "timeoutSeconds": .int(1),
            "successThreshold": .int(2), "failureThreshold": .int(3),
        ]), "the loopback host is left out: the kubelet probes the pod's address")
        #expect(probes["livenessProbe"]?["exec"] == .object(["command": .array(["/bin/sh", "-c", "pg_isready -q"].map { .string($0) })]))
        #expect(probes["livenessProbe"]?["initialDelaySeconds"] == .int(2))
        #expect(probes["livenessProbe"]?["successThreshold"] == .int(1), "Kubernetes takes only 1 for liveness")
        let notes = KubernetesExport.export([spec]).warnings
        #expect(!notes.contains { $0.contains("probe") }, "\(notes)")
        #expect(SystemdExport.export([spec]).warnings.contains("api: readiness_probe (readiness probe) has no systemd equivalent; not exported"))
    }
}
