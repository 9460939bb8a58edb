import ProcdCore
import ProcdPlatform
import ProcdWire

/// A connection to procd: one request at a time, blocking, as a short-lived CLI wants.
public final class DaemonClient {
    public let home: ProcdHome
    let socket: OwnedFD
    private var framer = LineFramer(limit: 256 << 20)
    private var pending: [[UInt8]] = []
    private var nextID = 1

    /// For a remote daemon: the ssh process behind the socket, to say why it ended.
    private var transport: SSHTransport?

    private init(home: ProcdHome, socket: OwnedFD, transport: SSHTransport? = nil) {
        self.home = home
        self.socket = socket
        self.transport = transport
    }

    /// A client of the procd on `host`, through `$PROCD_SSH` (else `ssh`) running
    /// `procctl bridge` there (`$PROCD_REMOTE_PROCCTL`, else `procctl` on its PATH);
    /// `timeout` seconds to connect, and to notice a host that stopped answering.
    public static func overSSH(_ host: RemoteHost, timeout: Int = SSHTransport.defaultTimeout) throws(CommandFailure) -> DaemonClient {
        let (ours, theirs) = try SSHTransport.open(host, timeout: timeout)
        return DaemonClient(home: ProcdHome(root: "\(host):~/.procd"), socket: ours, transport: theirs)
    }

    /// Why the connection ended before an answer.
    private var closedEarly: String {
        transport?.diagnosis() ?? "procd closed the connection before answering; see \(home.daemonLog)"
    }

    /// Connects to a running daemon; nil when none answers on the socket.
    public static func connectIfRunning(home: ProcdHome) throws(CommandFailure) -> DaemonClient? {
        do {
            return DaemonClient(home: home, socket: try UnixSocket.connect(path: home.socket))
        } catch {
            if error.code == Errno.noEntry || error.code == Errno.connectionRefused { return nil }
            throw CommandFailure("unable to reach procd at \(home.socket): \(error.reason)")
        }
    }

    /// Connects, starting the daemon first when none answers.
    public static func connect(home: ProcdHome) throws(CommandFailure) -> DaemonClient {
        if let client = try connectIfRunning(home: home) { return client }
        if home.socket.utf8.count > UnixSocket.maxPathLength {
            throw CommandFailure("socket path \(home.socket) is longer than \(UnixSocket.maxPathLength) bytes; set PROCD_HOME to a shorter directory")
        }
        guard let executable = daemonExecutable() else {
            throw CommandFailure("procd is not running and no procd executable was found next to procctl or on PATH; install procd beside procctl")
        }
        if case .failure(let failure) = DaemonLauncher.launch(executable: executable, home: home) {
            throw CommandFailure("procd is not running and could not be started: \(failure.message)")
        }
        guard let client = try connectIfRunning(home: home) else {
            throw CommandFailure("procd started but its socket \(home.socket) does not answer; see \(home.daemonLog)")
        }
        return client
    }

    /// `procd` next to this executable, else on PATH.
    static func daemonExecutable() -> String? {
        if let me = Environment.executablePath {
            let sibling = File.parent(of: me) + "/procd"
            if File.isExecutable(sibling) { return sibling }
        }
        return Spawn.resolve("procd", searchPath: Environment.get("PATH"), cwd: File.currentDirectory() ?? "/")
    }

    /// Sends a request and waits for its reply; a daemon error becomes a CommandFailure.
    public func call(_ command: WireCommand, _ args: JSONObject = [:]) throws(CommandFailure) -> JSON {
        let id = nextID
        nextID += 1
        do {
            try send(Request(id: id, command: command.rawValue, args: .object(args)))
        } catch {
            // A daemon that refused us may have said why before closing.
            if case .failure(_, let refusal)? = try? readReply() { throw CommandFailure(refusal.message, code: refusal.code.rawValue) }
            throw error
        }
        while true {
            guard let reply = try readReply() else { throw CommandFailure(closedEarly) }
            switch reply {
            case .success(let rid, let result) where rid == id: return result
            case .failure(let rid, let error) where rid == id || rid == nil:
                throw CommandFailure(error.message, code: error.code.rawValue)
            case .event(_, let event) where event["notice"] != nil:
                Environment.write("procctl: warning: \(event["notice"]?.stringValue ?? "")\n", to: Environment.standardError)
            default: continue
            }
        }
    }

    /// Sends a request without waiting; returns its id, for commands that stream events.
    public func send(_ command: WireCommand, _ args: JSONObject) throws(CommandFailure) -> Int {
        let id = nextID
        nextID += 1
        try send(Request(id: id, command: command.rawValue, args: .object(args)))
        return id
    }

    private func send(_ request: Request) throws(CommandFailure) {
        do {
            try socket.writeAll(request.json.serialized() + "\n")
        } catch {
            throw CommandFailure(transport?.diagnosis() ?? "unable to send to procd: \(error.reason)")
        }
    }

    /// Reads the events of request `id` until its result (0) or an error; when procd ends
    /// the stream first (it stopped, restarted, or dropped a slow reader) it throws
    /// `StreamEnded` with `closed` (or, over ssh, ssh's diagnosis).
    func readEvents(of id: Int, closed: String, _ handle: (JSON) throws -> Void) throws -> Int32 {
        while true {
            let next: Reply?
            do {
                next = try readReply()
            } catch {
                throw StreamEnded(message: error.message)
            }
            guard let reply = next else { throw StreamEnded(message: transport?.diagnosis() ?? closed) }
            switch reply {
            case .event(let rid, let event) where rid == id:
                try handle(event)
            case .success(let rid, _) where rid == id:
                return 0
            case .failure(let rid, let error) where rid == id || rid == nil:
                throw CommandFailure(error.message)
            default:
                continue
            }
        }
    }

    /// The next reply or event line; nil at end of stream.
    public func readReply() throws(CommandFailure) -> Reply? {
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while pending.isEmpty {
            let result: Result<IOResult, SystemError> = buffer.withUnsafeMutableBytes { bytes in
                do throws(SystemError) { return .success(try socket.read(into: bytes)) } catch { return .failure(error) }
            }
            switch result {
            case .failure(let error): throw CommandFailure(transport?.diagnosis() ?? "unable to read from procd: \(error.reason)")
            case .success(.endOfFile), .success(.wouldBlock): return nil
            case .success(.bytes(let n)):
                for item in framer.append(buffer[0..<n]) {
                    if case .line(let line) = item { pending.append(line) }
                }
            }
        }
        let line = pending.removeFirst()
        guard let reply = Reply.decode(line) else { throw CommandFailure("procd sent a reply that is not valid JSON") }
        return reply
    }
}
