import ProcdCore
import ProcdPlatform
import ProcdWire

/// Where the apps' output goes: each process's stdout and stderr pipes, read as they fill;
/// the log files they write to, shared by an app's instances and rotated by size; and the
/// clients following logs (`logs -f`), each bounded so a slow one never holds anything up.
final class LogRouter: OutputObserver {
    /// A follower's outgoing buffer may hold this much before it is dropped as too slow,
    /// so a client that stops reading never holds up the daemon or the apps.
    static let followerBacklog = 8 << 20

    private let loop: EventLoop
    private let log: DaemonLog
    private let clients: ClientHub
    private let settings: DaemonSettings
    private var streams: [UInt64: OutputStream] = [:]
    private var files: [String: LogFile] = [:]
    private var followers: [Follower] = []
    private let wires: Wires
    /// What each process wrote (by process id): the streams of its current run, the last
    /// lines of its stderr, those before its last exit, and the bytes of each stream.
    private struct Record {
        var tokens: [UInt64] = []
        var stderr = LineRing()
        var stderrTail: [String] = []
        var bytes: (out: Int64, err: Int64) = (0, 0)
    }
    private var records: [Int: Record] = [:]

    /// What the router asks of its owner; all given at init.
    struct Wires {
        /// Every chunk written, for the process's counters and stderr lines (and the console).
        var output: (OutputStream, UnsafeRawBufferPointer) -> Void
        /// A stream's pipe is open or has closed (the keeper holds a copy while it is open).
        var opened: (OutputStream) -> Void
        var closed: (OutputStream) -> Void
        /// The app's namespace, for followers that asked for one.
        var namespace: (String) -> String
    }

    init(loop: EventLoop, log: DaemonLog, clients: ClientHub, settings: DaemonSettings, wires: Wires) {
        self.loop = loop
        self.log = log
        self.clients = clients
        self.settings = settings
        self.wires = wires
    }

    // MARK: Files

    /// The shared log file for a path, opened on first use.
    func file(_ path: String, _ spec: AppSpec?) throws(SystemError) -> LogFile {
        let file: LogFile
        if let open = files[path] {
            file = open
        } else {
            try File.makeDirectory(File.parent(of: path), mode: 0o755)
            file = LogFile(path: path)
            files[path] = file
        }
        file.discards = !settings.writesLogFiles
        file.maxSize = spec?.logMaxSize ?? settings.logMaxSize
        file.retain = spec?.logRetain ?? settings.logRetain
        return file
    }

    func isOpen(_ path: String) -> Bool { files[path] != nil }
    var fileCount: Int { files.count }

    /// After SIGHUP or `reload-logs`: the files are opened again by path (logrotate moved them).
    func reopenFiles() {
        for file in files.values {
            do {
                try file.reopen()
            } catch {
                log.warning("unable to reopen \(file.path): \(error)")
            }
        }
    }

    /// `flush`: empties the files at `paths`, open or not; returns those emptied.
    func truncate(_ paths: [String]) -> [String] {
        var flushed: [String] = []
        for path in paths {
            do {
                if let file = files[path] { try file.truncate() } else if File.exists(path) { try File.truncate(path) }
                flushed.append(path)
            } catch {
                log.warning("unable to flush \(path): \(error)")
            }
        }
        return flushed
    }

    // MARK: Streams

    /// Reads `stream`'s pipe from now on.
    /// A new run of the process writes into `streams` (stdout, stderr): its stderr lines
    /// are counted afresh.
    func attach(_ streams: [OutputStream], of processID: Int) {
        records[processID, default: Record()].tokens = streams.map(\.token)
        records[processID, default: Record()].stderr.removeAll()
        for stream in streams { attach(stream) }
    }

    /// A stream a previous daemon (or the keeper) held for a running process, read on.
    func adopt(_ stream: OutputStream) {
        records[stream.processID, default: Record()].tokens.append(stream.token)
        attach(stream)
    }

    private func attach(_ stream: OutputStream) {
        wires.opened(stream)
        streams[stream.token] = stream
        stream.file.users += 1
        do {
            try loop.watch(stream.pipe.raw, .readable, token: stream.token) { [weak self, stream] _ in
                guard let self else { return }
                self.read(stream)
            }
        } catch {
            log.error("cannot watch output of process \(stream.processID): \(error)")
            drainAndClose(stream)
        }
    }

    /// Takes what waits in the pipes of these streams now (a process just exited: its last
    /// words are in there).
    /// The process exited: what waits in its pipes is read now (its last words are in
    /// there), and its last stderr lines become those of this exit.
    func ended(_ processID: Int) {
        for token in records[processID]?.tokens ?? [] { if let stream = streams[token] { read(stream) } }
        guard var record = records[processID] else { return }
        record.stderrTail = record.stderr.lines
        record.stderr.removeAll()
        records[processID] = record
    }

    /// The last lines the process wrote to stderr before its last exit.
    func stderrTail(_ processID: Int) -> [String] { records[processID]?.stderrTail ?? [] }

    /// Bytes the process has written to each stream, over all its runs.
    func bytesWritten(_ processID: Int) -> (out: Int64, err: Int64) { records[processID]?.bytes ?? (0, 0) }

    /// The process left the table: its streams are read to their end and closed.
    func closeStreams(ofProcess id: Int) {
        for stream in streams.values where stream.processID == id { drainAndClose(stream) }
        records[id] = nil
    }

    /// At exit: every pipe read to its end and every partial line written.
    func closeAll() {
        for stream in Array(streams.values) { drainAndClose(stream) }
    }

    /// Before an in-place update: partial lines go to their files now, and the pipes are
    /// described for the new image, which continues them in place.
    func handOver(keeping kept: inout [Int32]) -> [JSON] {
        streams.values.map { s in
            try? s.flush()
            kept.append(s.pipe.raw)
            return .object([
                "fd": .int(Int(s.pipe.raw)), "process": .int(s.processID), "app": .string(s.appName),
                "kind": .string(s.kind.rawValue), "path": .string(s.file.path),
                "date_format": s.dateFormat.map { .string($0) } ?? .null,
            ])
        }
    }

    private func read(_ stream: OutputStream) {
        let end = loop.read(stream.pipe, upTo: 8) { bytes in
            write(stream) { () throws(SystemError) in try stream.consume(bytes) }
        }
        switch end {
        case .failed(let error):
            log.warning("reading output of process \(stream.processID): \(error)")
            drainAndClose(stream)
        case .endOfFile:
            drainAndClose(stream)
        case .drained, .budgetSpent:
            break
        }
    }

    private func write(_ stream: OutputStream, _ body: () throws(SystemError) -> Void) {
        do {
            try body()
            if stream.file.failing {
                stream.file.failing = false
                log.info("writing \(stream.file.path) works again")
            }
        } catch {
            if !stream.file.failing {
                stream.file.failing = true
                log.warning("unable to write \(stream.file.path): \(error.reason); output is dropped until it works again")
            }
        }
    }

    /// Reads what is left in the pipe, writes the held partial line, and forgets the stream.
    private func drainAndClose(_ stream: OutputStream) {
        guard streams.removeValue(forKey: stream.token) != nil else { return }
        wires.closed(stream)
        loop.unwatch(stream.pipe.raw, token: stream.token)
        _ = loop.read(stream.pipe, upTo: .max) { bytes in
            write(stream) { () throws(SystemError) in try stream.consume(bytes) }
        }
        write(stream) { () throws(SystemError) in try stream.flush() }
        stream.pipe.close()
        stream.file.users -= 1
        if stream.file.users == 0 {
            stream.file.close()
            files[stream.file.path] = nil
        }
    }

    // MARK: Followers

    func follow(_ follower: Follower, on connection: ControlConnection) {
        connection.limit = Self.followerBacklog
        followers.append(follower)
    }

    func isFollowing(_ token: UInt64) -> Bool { followers.contains { $0.connection == token } }

    func unfollow(_ token: UInt64) {
        followers.removeAll { $0.connection == token }
    }

    func streamWrote(_ stream: OutputStream, _ bytes: UnsafeRawBufferPointer) {
        switch stream.kind {
        case .out: records[stream.processID, default: Record()].bytes.out += Int64(bytes.count)
        case .err:
            records[stream.processID, default: Record()].bytes.err += Int64(bytes.count)
            records[stream.processID, default: Record()].stderr.append(bytes)
        }
        wires.output(stream, bytes)
        guard !followers.isEmpty else { return }
        let namespace = wires.namespace(stream.appName)
        let interested = followers.filter {
            $0.wants(processID: stream.processID, app: stream.appName, namespace: namespace, stream: stream.kind.rawValue)
        }
        guard !interested.isEmpty else { return }
        let now = Clock.wallMilliseconds()
        var lines = bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        if lines.last?.isEmpty == true { lines.removeLast() }
        for follower in interested {
            guard let connection = clients.connection(follower.connection) else { continue }
            var out: [UInt8] = []
            for line in lines {
                let payload = LogLine.event(id: stream.processID, name: stream.appName, stream: stream.kind.rawValue, time: now,
                                            line: String(decoding: line, as: UTF8.self))
                out += Reply.event(id: follower.requestID, payload).lineBytes
            }
            deliver(out, to: connection)
        }
    }

    /// A line of procd's own log, for followers of everything.
    func daemonLogged(_ line: String) {
        guard !followers.isEmpty else { return }
        for follower in followers where follower.daemon {
            guard let connection = clients.connection(follower.connection) else { continue }
            let payload = LogLine.event(id: nil, name: "procd", stream: "daemon", time: Clock.wallMilliseconds(), line: line)
            deliver(Reply.event(id: follower.requestID, payload).lineBytes, to: connection)
        }
    }

    private func deliver(_ bytes: [UInt8], to connection: ControlConnection) {
        connection.queue(bytes)
        if connection.isClosed {
            followers.removeAll { $0.connection == connection.token }
            log.warning("dropped a log follower that fell more than \(Self.followerBacklog >> 20) MiB behind")
        }
    }
}

/// A log line as `logs` sends it to clients.
enum LogLine {
    static func event(id: Int?, name: String, stream: String, time: Int64?, line: String) -> JSON {
        .object([
            "id": id.map { .int($0) } ?? .null,
            "name": .string(name),
            "stream": .string(stream),
            "time": time.map { .string(Format.iso8601(millisecondsSinceEpoch: $0)) } ?? .null,
            "line": .string(line),
        ])
    }
}
