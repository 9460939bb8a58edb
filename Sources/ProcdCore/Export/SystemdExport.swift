/// Apps as systemd units: `NAME.service`, or the template `NAME@.service` for an app with
/// several instances (started as NAME@0 … NAME@N-1), and `NAME.socket` for `--port`.
public enum SystemdExport {
    public static func export(_ specs: [AppSpec]) -> ExportResult {
        var result = ExportResult()
        for spec in specs {
            let template = spec.instances > 1
            let unit = spec.name + (template ? "@.service" : ".service")
            result.files.append((unit, service(spec, template: template)))
            if !spec.listen.isEmpty {
                if template {
                    result.warnings.append("\(spec.name): a socket unit activates one service, not \(spec.instances) instances; "
                        + "\(spec.name).socket is not written (each instance must bind its own port, or run one instance)")
                } else {
                    result.files.append((spec.name + ".socket", socket(spec)))
                }
            }
            if template {
                let names = (0..<spec.instances).map { "\(spec.name)@\($0)" }.joined(separator: " ")
                result.warnings.append("\(spec.name): enable its \(spec.instances) instances with: systemctl enable --now \(names)")
            }
            result.warnings += ExportNotes.untranslated(spec, engine: "systemd", handled: ["watchdog", "uid", "gid", "stop_exit_codes", "wait_ready"])
        }
        return result
    }

    static func service(_ spec: AppSpec, template: Bool) -> String {
        let p = spec.policy
        var lines = [
            "[Unit]",
            "Description=\(spec.name)\(template ? " instance %i" : "") (exported from procd)",
            "After=network.target",
        ]
        if !spec.listen.isEmpty && !template { lines += ["Requires=\(spec.name).socket", "After=\(spec.name).socket"] }
        lines += ["", "[Service]", "Type=\(p.waitReady ? "notify" : "simple")"]
        if p.waitReady { lines.append("NotifyAccess=all") }
        lines.append("WorkingDirectory=\(escape(spec.cwd))")
        lines.append("ExecStart=" + spec.command.map(quote).joined(separator: " "))
        var env = spec.env
        if template { env[EnvironmentName.instance] = nil; env[EnvironmentName.nodeAppInstance] = nil }
        for key in env.keys.sorted() { lines.append("Environment=" + quote("\(key)=\(env[key] ?? "")")) }
        if template { lines += ["Environment=NODE_APP_INSTANCE=%i", "Environment=PROCD_INSTANCE=%i"] }
        lines.append("Restart=\(p.autorestart ? "always" : "no")")
        lines.append("RestartSec=\(seconds(p.restartDelay.milliseconds))")
        if !p.stopExitCodes.isEmpty { lines.append("RestartPreventExitStatus=" + p.stopExitCodes.map(String.init).joined(separator: " ")) }
        lines.append("KillSignal=\(Signals.name(of: p.killSignal))")
        lines.append("TimeoutStopSec=\(seconds(p.killTimeout.milliseconds))")
        if let watchdog = spec.watchdog { lines.append("WatchdogSec=\(seconds(watchdog.milliseconds))") }
        if let user = spec.user { lines.append("User=\(user)") }
        if let group = spec.group { lines.append("Group=\(group)") }
        lines += ["", "[Install]", "WantedBy=multi-user.target", ""]
        return lines.joined(separator: "\n")
    }

    static func socket(_ spec: AppSpec) -> String {
        var lines = ["[Unit]", "Description=\(spec.name) listening sockets (exported from procd)", "", "[Socket]"]
        for address in spec.listen { lines.append("ListenStream=\(address.host.map { $0.contains(":") ? "[\($0)]:" : "\($0):" } ?? "")\(address.port)") }
        lines += ["Accept=no", "", "[Install]", "WantedBy=sockets.target", ""]
        return lines.joined(separator: "\n")
    }

    /// Seconds with up to three decimals, as systemd reads them.
    static func seconds(_ milliseconds: Int64) -> String {
        milliseconds % 1000 == 0 ? "\(milliseconds / 1000)" : "\(milliseconds / 1000).\(String(milliseconds % 1000).leftPadded(to: 3))"
    }

    /// A word of ExecStart or Environment: double-quoted when it needs to be, with `\`,
    /// `"` escaped and `%` and `$` doubled so systemd takes them literally.
    static func quote(_ word: String) -> String {
        let out = word.escaping(["\\": "\\\\", "\"": "\\\"", "%": "%%", "$": "$$", "\n": "\\n"])
        let plain = !word.isEmpty && word.allSatisfy { !$0.isWhitespace && $0 != "\"" && $0 != "'" && $0 != "\\" && $0 != ";" }
        return plain ? out : "\"\(out)\""
    }

    static func escape(_ path: String) -> String { path.contains(" ") ? quote(path) : path }
}

extension String {
    func leftPadded(to width: Int) -> String { String(repeating: "0", count: max(0, width - count)) + self }
}
