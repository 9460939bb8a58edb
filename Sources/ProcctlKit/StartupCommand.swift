import ProcdCore
import ProcdPlatform

/// `procctl startup` and `unstartup`: a systemd unit that starts procd at boot.
struct StartupCommand {
    let console: Console
    let home: ProcdHome

    private func unitDirectory(user: Bool) -> String {
        user ? Environment.home + "/.config/systemd/user" : "/etc/systemd/system"
    }

    private func systemctl(_ user: Bool) -> String { user ? "systemctl --user" : "systemctl" }

    func unit(user: Bool) throws(CommandFailure) -> SystemdUnit {
        guard let me = Environment.executablePath else { throw CommandFailure("cannot find the procctl executable's path") }
        // /proc/self/exe names procd itself when procctl is the packages' link to it, so
        // both paths are taken from the directory the two share.
        let daemon = File.parent(of: me) + "/procd"
        let client = File.parent(of: me) + "/procctl"
        guard File.isExecutable(daemon), File.isExecutable(client) else {
            throw CommandFailure("procd was not found next to procctl (\(daemon)); install both in the same directory first")
        }
        let account = user ? nil : (Environment.get("USER") ?? (Processes.effectiveUser == 0 ? "root" : nil))
        if !user && account == nil { throw CommandFailure("cannot tell which account to run as; set USER or use --user") }
        return SystemdUnit(daemonPath: daemon, clientPath: client, home: home.root,
                           path: Environment.get("PATH") ?? "/usr/local/bin:/usr/bin:/bin", user: account)
    }

    func install(_ parsed: ParsedArguments) throws(CommandFailure) -> Int32 {
        let user = parsed.has("user")
        let unit = try unit(user: user)
        let text = unit.render()
        if parsed.has("print") {
            console.out(text)
            return 0
        }
        if !user && Processes.effectiveUser != 0 {
            throw CommandFailure("writing a system unit needs root; run it with sudo, or use 'procctl startup --user'")
        }
        let directory = unitDirectory(user: user)
        let path = directory + "/" + unit.fileName
        do {
            try File.makeDirectory(directory, mode: 0o755)
            try File.writeAtomically(path, text, mode: 0o644)
        } catch {
            throw CommandFailure("unable to write \(path): \(error.reason)")
        }
        console.out("wrote \(path)\n")
        console.out("procd will start at boot with the apps of \(home.stateFile) (or, if empty, \(home.dumpFile)).\n")
        console.out("Enable it with:\n  \(systemctl(user)) daemon-reload\n  \(systemctl(user)) enable --now \(unit.fileName)\n")
        if user { console.out("For a user unit to start at boot without a login: loginctl enable-linger \(Environment.get("USER") ?? "$USER")\n") }
        console.out("Save the current apps for boot with: procctl save\n")
        return 0
    }

    func remove(_ parsed: ParsedArguments) throws(CommandFailure) -> Int32 {
        let user = parsed.has("user")
        var removed = false
        for name in ["procd.service", "procd-\(Environment.get("USER") ?? "").service"] {
            let path = unitDirectory(user: user) + "/" + name
            guard File.exists(path) else { continue }
            do {
                try File.remove(path)
            } catch {
                throw CommandFailure("unable to remove \(path): \(error.reason)")
            }
            console.out("removed \(path)\nDisable it with:\n  \(systemctl(user)) disable \(name)\n  \(systemctl(user)) daemon-reload\n")
            removed = true
        }
        if !removed { console.out("no procd unit in \(unitDirectory(user: user))\n") }
        return 0
    }
}
