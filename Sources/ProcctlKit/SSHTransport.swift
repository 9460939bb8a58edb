import ProcdCore
import ProcdPlatform

/// The ssh process behind `procctl --host`: the client speaks the wire protocol over a
/// socket pair whose other end is ssh's standard input and output, and the remote side
/// (`procctl bridge`) copies it to and from that host's daemon socket. Nothing new listens
/// anywhere: the user's own ssh, keys and config, with BatchMode so it never prompts.
/// Nor does it wait forever: ssh gets a connect timeout (which also bounds the banner
/// exchange with a server that accepted but does not speak) and keep-alives, so a host
/// that stops answering ends the session; `-o` options in `$PROCD_SSH` come first, and
/// ssh keeps the first value it is given, so they win.
public final class SSHTransport {
    /// Seconds, unless `--connect-timeout` says otherwise.
    public static let defaultTimeout = 10
    let host: RemoteHost
    let pid: Int32
    let timeout: Int
    private let errors: OwnedFD

    private init(host: RemoteHost, pid: Int32, timeout: Int, errors: OwnedFD) {
        self.host = host
        self.pid = pid
        self.timeout = timeout
        self.errors = errors
    }

    /// The options that bound every wait on the host: `timeout` seconds to connect and
    /// exchange banners, and a keep-alive every `timeout` seconds, three unanswered ending it.
    static func timeoutOptions(_ timeout: Int) -> [String] {
        ["-o", "ConnectTimeout=\(timeout)", "-o", "ServerAliveInterval=\(timeout)", "-o", "ServerAliveCountMax=3"]
    }

    static func open(_ host: RemoteHost, timeout: Int = defaultTimeout) throws(CommandFailure) -> (OwnedFD, SSHTransport) {
        let words: [String]
        do {
            words = try ShellWords.split(Environment.get(EnvironmentName.ssh).flatMap { $0.isEmpty ? nil : $0 } ?? "ssh")
        } catch {
            throw CommandFailure("PROCD_SSH is not a command line: \(error)", exitCode: 2)
        }
        let cwd = File.currentDirectory() ?? "/"
        guard let program = words.first, let path = Spawn.resolve(program, searchPath: Environment.get("PATH"), cwd: cwd) else {
            throw CommandFailure("\(words.first ?? "ssh") was not found; install OpenSSH's client or set PROCD_SSH")
        }
        let remote = Environment.get(EnvironmentName.remoteProcctl).flatMap { $0.isEmpty ? nil : $0 } ?? "procctl"
        let argv = words + ["-o", "BatchMode=yes"] + timeoutOptions(timeout) + host.sshArguments + ["--", remote, "bridge"]
        do {
            let (ours, theirs) = try Sockets.pair()
            let errors = try Pipe(nonBlockingRead: true)
            let pid = try Spawn.spawn(Spawn.Request(path: path, argv: argv, env: Environment.all().map { "\($0.key)=\($0.value)" },
                                                    cwd: nil, descriptors: [theirs.raw, theirs.raw, errors.writeEnd.raw]))
            theirs.close()
            errors.writeEnd.close()
            return (ours, SSHTransport(host: host, pid: pid, timeout: timeout, errors: errors.readEnd))
        } catch {
            throw CommandFailure("unable to run \(path): \(error.reason)")
        }
    }

    /// What went wrong, from ssh's own words (its last line on stderr) once it ended.
    func diagnosis() -> String {
        _ = Processes.waitForExit([pid], timeout: .seconds(2))
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let result = buffer.withUnsafeMutableBytes { chunk -> IOResult? in try? errors.read(into: chunk) }
            guard case .bytes(let n)? = result else { break }
            bytes += buffer[0..<n]
            if bytes.count > 65_536 { break }
        }
        let lines = String(decoding: bytes, as: UTF8.self).split(separator: "\n").map(String.init).filter { !$0.isEmpty }
        guard let last = lines.last else {
            return "the connection through ssh ended before procd answered (is procctl installed there? set PROCD_REMOTE_PROCCTL)"
        }
        let said = last.hasPrefix("ssh:") ? last : "ssh: \(last)"
        if said.lowercased().contains("timed out") || said.lowercased().contains("timeout") {
            return "no answer within \(timeout) s (\(said)); check that the host and its sshd are up, or allow longer with --connect-timeout SECONDS"
        }
        return said
    }
}
