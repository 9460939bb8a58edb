import Foundation
import Synchronization
import Testing

/// Apps and clients for the cluster and log tests: Python and Node programs written to the
/// sandbox, a background `procctl logs -f`, and an HTTP hammer that counts failures.
enum ClusterApps {
    /// sd_notify in Python: an address starting with '@' is in the abstract namespace.
    static let notifyFunction = """
        import os, socket, sys, time, signal
        def notify(message):
            address = os.environ.get("NOTIFY_SOCKET", "")
            if not address:
                print("no NOTIFY_SOCKET", flush=True)
                sys.exit(4)
            if address.startswith("@"):
                address = "\\0" + address[1:]
            s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
            try:
                s.connect(address)
                s.sendall(message.encode())
            finally:
                s.close()

        """

    /// An HTTP server on the daemon-held socket (fd 3) that answers `pid=PID`. It insists on
    /// the socket-activation variables being its own, sends READY=1 when `SEND_READY=1`, and
    /// on SIGTERM finishes the request in hand (never drops an accepted connection).
    static let activatedServer = notifyFunction + """
        pid = os.getpid()
        if os.environ.get("LISTEN_PID") != str(pid) or os.environ.get("LISTEN_FDS") != "1":
            print("bad activation: LISTEN_PID=%s LISTEN_FDS=%s pid=%d"
                  % (os.environ.get("LISTEN_PID"), os.environ.get("LISTEN_FDS"), pid), flush=True)
            sys.exit(3)
        listener = socket.fromfd(3, socket.AF_INET, socket.SOCK_STREAM)
        stopping = False
        def on_term(*_):
            global stopping
            stopping = True
        signal.signal(signal.SIGTERM, on_term)
        print("serving %d" % pid, flush=True)
        if os.environ.get("SEND_READY") == "1":
            notify("READY=1")
        while not stopping:
            conn, _ = listener.accept()
            try:
                conn.recv(65536)
                body = ("pid=%d\\n" % pid).encode()
                conn.sendall(b"HTTP/1.0 200 OK\\r\\nContent-Length: %d\\r\\nConnection: close\\r\\n\\r\\n" % len(body) + body)
            except OSError:
                pass
            finally:
                conn.close()
        print("exiting %d" % pid, flush=True)

        """

    /// Writes the activated server to the sandbox and returns its path.
    static func writeServer(_ sandbox: Sandbox) throws -> String {
        try sandbox.write("server.py", activatedServer)
    }

    /// The pid in an answer of `activatedServer`.
    static func pid(inReply reply: String?) -> Int32? {
        guard let reply, reply.hasPrefix("HTTP/1.0 200") || reply.hasPrefix("HTTP/1.1 200"), let range = reply.range(of: "pid=") else { return nil }
        return Int32(reply[range.upperBound...].prefix { $0.isNumber })
    }
}

/// Many GET requests from several threads at once, until stopped or a hard deadline: how
/// many failed and which pids answered, in order.
final class Hammer: @unchecked Sendable {
    struct Tally {
        var ok = 0
        var failures: [String] = []
        var pids: [Int32] = []
    }

    private let tally = Mutex(Tally())
    private let stopFlag = Atomic<Bool>(false)
    private let group = DispatchGroup()
    let port: Int

    init(port: Int) { self.port = port }

    /// Starts `threads` workers; each stops by itself after `limit`.
    func start(threads: Int, limit: Duration = .seconds(12)) {
        let deadline = ContinuousClock.now + limit
        for _ in 0..<threads {
            DispatchQueue.global().async(group: group) { [self] in
                while !stopFlag.load(ordering: .relaxed), ContinuousClock.now < deadline {
                    let reply = Network.httpGet(port: port)
                    let pid = ClusterApps.pid(inReply: reply)
                    tally.withLock { t in
                        if let pid {
                            t.ok += 1
                            t.pids.append(pid)
                        } else {
                            t.failures.append(String((reply ?? "connection refused or reset").prefix(80)))
                        }
                    }
                }
            }
        }
    }

    var snapshot: Tally { tally.withLock { $0 } }

    /// Stops the workers and waits for them.
    @discardableResult
    func stop() -> Tally {
        stopFlag.store(true, ordering: .relaxed)
        _ = group.wait(timeout: .now() + 15)
        return snapshot
    }
}

extension Sandbox {
    /// Runs `procctl logs ARGS -f` in the background, its output going to a file; cleanup
    /// ends it. Returns the process and the path of its stdout.
    func followLogs(_ arguments: [String]) throws -> (process: Process, output: String) {
        let launched = try launch(Binaries.procctl, ["logs"] + arguments + ["--follow"])
        return (launched.process, launched.stdout)
    }

    /// Ends a background client started with `launch`. SIGKILL, because a child of the test
    /// runner inherits its blocked signal mask (SIGTERM and SIGINT would wait forever).
    func end(_ process: Process) {
        guard process.isRunning else { return }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    /// The size of a file in bytes, 0 when it does not exist.
    func size(_ path: String) -> Int {
        (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
    }

    func logPath(_ name: String, _ stream: String = "out") -> String { "\(home)/logs/\(name)-\(stream).log" }

    /// Waits until the file at `path` contains `text`; throws with what it holds otherwise.
    @discardableResult
    func waitForFile(_ path: String, containing text: String, timeout: Duration = .seconds(10)) throws -> String {
        var contents = ""
        guard waitUntil(timeout: timeout, { contents = read(path); return contents.contains(text) }) else {
            throw SandboxError("\(path) never showed '\(text)'; it holds:\n\(contents.suffix(2000))\n\(diagnostics)")
        }
        return contents
    }

    /// A bash app that prints `started PID`, then, each time the file `go` appears in the
    /// work folder, prints `marker-CONTENTS` (`fill` prints 40 lines of 50 bytes instead)
    /// and removes it. Lets a test write a line into the app's log whenever it wants.
    func writeTriggeredApp() throws -> String {
        try write("triggered.sh", """
            echo "started $$"
            while true; do
              if [ -f go ]; then
                what=$(cat go); rm -f go
                if [ "$what" = fill ]; then
                  for i in $(seq 1 40); do echo "filler-$i-0123456789012345678901234567890123456"; done
                else
                  echo "marker-$what"
                fi
              fi
              sleep 0.02
            done

            """)
    }

    /// Asks a `writeTriggeredApp` app to print `marker-WHAT` (or filler for `fill`), after
    /// waiting for any earlier request to be taken.
    func trigger(_ what: String) throws {
        let go = work + "/go"
        guard waitUntil(timeout: .seconds(5), { !FileManager.default.fileExists(atPath: go) }) else {
            throw SandboxError("the app never took the previous trigger")
        }
        try write("go.tmp", what)
        guard rename(work + "/go.tmp", go) == 0 else { throw SandboxError("rename go failed: errno \(errno)") }
    }
}
