import CProcdLinux
import Glibc
import ProcdCore

/// The calling process's environment, terminal and identity.
public enum Environment {
    public static func get(_ name: String) -> String? {
        guard let value = getenv(name) else { return nil }
        return String(cString: value)
    }

    /// Sets a variable of this process (setenv(3): not with other threads running).
    public static func set(_ name: String, _ value: String) {
        _ = setenv(name, value, 1)
    }

    /// Every variable, as `KEY=VALUE` pairs split at the first '='.
    public static func all() -> [String: String] {
        var out: [String: String] = [:]
        var pointer = environ
        while let entry = pointer.pointee {
            let text = String(cString: entry)
            if let eq = text.firstIndex(of: "=") {
                out[String(text[..<eq])] = String(text[text.index(after: eq)...])
            }
            pointer += 1
        }
        return out
    }

    public static func isTerminal(_ fd: Int32) -> Bool { procd_isatty(fd) == 1 }

    /// The terminal's width in columns, or 0 when fd is not a terminal.
    public static func terminalColumns(_ fd: Int32) -> Int { Int(procd_terminal_columns(fd)) }

    /// Path of the running executable.
    public static var executablePath: String? { File.readLink("/proc/self/exe") }

    /// The home directory from HOME, or the password database.
    public static var home: String {
        if let home = get("HOME"), !home.isEmpty { return home }
        if let entry = getpwuid(geteuid()), let dir = entry.pointee.pw_dir { return String(cString: dir) }
        return "/"
    }

    /// The daemon's home as procd and procctl both resolve it: `--home`/`$PROCD_HOME`,
    /// `~/.procd`, or a runtime directory when HOME cannot hold it (with a note saying so).
    public static func procdHome(explicit: String?) -> (home: ProcdHome, note: String?) {
        let given = explicit ?? get(EnvironmentName.home)
        // getcwd(3) only for a relative path: this runs at every start of procd and procctl.
        let cwd = given?.hasPrefix("/") == false ? File.currentDirectory() ?? "/" : "/"
        return ProcdHome.resolve(environment: given.map { $0.isEmpty ? $0 : File.absolute($0, cwd: cwd) },
                                 home: home, usable: File.isUsableDirectory,
                                 runtimeDirectory: get("XDG_RUNTIME_DIR"), uid: geteuid())
    }

    public static let standardInput: Int32 = 0
    public static let standardOutput: Int32 = 1
    public static let standardError: Int32 = 2

    /// Writes text to stdout or stderr, unbuffered; false when the reader is gone (EPIPE).
    @discardableResult
    public static func write(_ text: String, to fd: Int32) -> Bool {
        let handle = OwnedFD(adopting: fd)
        defer { handle.forget() }            // the process keeps its standard descriptors
        do {
            try handle.writeAll(text)
            return true
        } catch {
            return error.code != EPIPE
        }
    }

    /// Makes sure descriptors 0, 1 and 2 are open (on /dev/null when they are not), so
    /// nothing the process opens later lands on them by accident.
    public static func ensureStandardDescriptors() {
        for fd in Int32(0)...2 where fcntl(fd, F_GETFD) == -1 {
            let null = Glibc.open("/dev/null", O_RDWR)
            if null >= 0 && null != fd {
                dup2(null, fd)
                Glibc.close(null)
            }
        }
    }

    /// Points 0, 1 and 2 at /dev/null (a detached daemon has no terminal to write to).
    public static func detachStandardDescriptors() {
        let null = Glibc.open("/dev/null", O_RDWR)
        guard null >= 0 else { return }
        for fd in Int32(0)...2 { dup2(null, fd) }
        if null > 2 { Glibc.close(null) }
    }
}

extension OwnedFD {
    /// Gives up ownership without closing (for descriptors the process does not own).
    public func forget() { forgetRaw() }
}
