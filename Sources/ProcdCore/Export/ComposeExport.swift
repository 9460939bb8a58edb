/// Apps as a Docker Compose file (`compose.yaml`): one service an app, the command and
/// environment as procd runs them, replicas, restart policy, ports and a health check.
/// The image is not known here: it is `${PROCD_IMAGE:-debian:12-slim}`, to be set.
public enum ComposeExport {
    public static func export(_ specs: [AppSpec]) -> ExportResult {
        var lines = ["# Exported from procd. Set PROCD_IMAGE (or each image) to an image holding the apps.", "services:"]
        var warnings: [String] = []
        for spec in specs {
            let p = spec.policy
            lines.append("  \(KubernetesExport.dnsName(spec.name)):")
            lines.append("    image: \(yaml("${PROCD_IMAGE:-debian:12-slim}"))")
            lines.append("    command: [" + spec.command.map(yaml).joined(separator: ", ") + "]")
            lines.append("    working_dir: \(yaml(spec.cwd))")
            if !spec.env.isEmpty {
                lines.append("    environment:")
                for key in spec.env.keys.sorted() { lines.append("      \(yaml(key)): \(yaml(spec.env[key] ?? ""))") }
            }
            lines.append("    restart: \(yaml(p.autorestart ? "always" : "no"))")
            lines.append("    stop_signal: \(Signals.name(of: p.killSignal))")
            lines.append("    stop_grace_period: \(SystemdExport.seconds(p.killTimeout.milliseconds))s")
            if spec.instances > 1 { lines.append("    scale: \(spec.instances)") }
            if !spec.listen.isEmpty {
                lines.append("    ports:")
                for address in spec.listen {
                    let published = spec.instances > 1 ? "" : "\(address.port):"
                    lines.append("      - \(yaml("\(published)\(address.port)"))")
                }
                if spec.instances > 1 { warnings.append("\(spec.name): its \(spec.instances) replicas cannot publish one host port; ports are published on random host ports") }
            }
            if let url = spec.healthURL {
                lines.append("    healthcheck:")
                lines.append("      test: [\"CMD\", \"curl\", \"-fsS\", \(yaml(url.description))]")
                lines.append("      interval: \(SystemdExport.seconds(spec.healthInterval.milliseconds))s")
                lines.append("      retries: \(spec.healthRetries)")
            }
            warnings += ExportNotes.untranslated(spec, engine: "Compose", handled: ["health_url"])
        }
        return ExportResult(files: [("compose.yaml", lines.joined(separator: "\n") + "\n")], warnings: warnings)
    }

    /// A YAML double-quoted scalar; `$` doubled so Compose does not interpolate values.
    static func yaml(_ text: String) -> String {
        if text.hasPrefix("${PROCD_IMAGE") { return "\"\(text)\"" }
        return String(YAMLWriter.quoted(text).flatMap { $0 == "$" ? ["$", "$"] : [$0] })
    }
}
