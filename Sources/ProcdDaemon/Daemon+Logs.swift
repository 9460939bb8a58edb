import ProcdCore
import ProcdPlatform
import ProcdWire

/// A client following logs (`logs -f`): which processes and streams it wants.
struct Follower {
    var connection: UInt64
    var requestID: Int
    var targets: TargetFilter
    var streams: Set<String>
    var daemon: Bool

    func wants(processID: Int, app: String, namespace: String, stream: String) -> Bool {
        streams.contains(stream) && targets.matches(id: processID, app: app, namespace: namespace)
    }
}

extension Daemon: OutputObserver {
    /// A follower's outgoing buffer may hold this much before it is dropped as too slow,
    /// so a client that stops reading never holds up the daemon or the apps.
    static let followerBacklog = 8 << 20

    /// `logs`: the last lines of each chosen file as events, then (with follow) every new
    /// line as it is written, until the client leaves.
    func streamLogs(_ args: JSON, request: Request, connection: ControlConnection) {
        let fields = FieldReader(args)
        let targets: [String]
        let lines: Int
        let streams: Set<String>
        let follow: Bool
        do {
            targets = try fields.strings("targets") ?? []
            lines = try fields.int("lines", in: 0...100_000) ?? 15
            streams = Set(try fields.strings("streams") ?? ["out", "err"])
            follow = try fields.bool("follow") ?? false
        } catch {
            reply(connection, request.id, .failure(WireError(.invalidArgument, "\(error)")))
            return
        }
        guard streams.isSubset(of: ["out", "err"]) else {
            reply(connection, request.id, .failure(WireError(.invalidArgument, "streams: expected \"out\" and/or \"err\"")))
            return
        }
        let ids: [Int]
        do {
            ids = targets.isEmpty ? processes.keys.sorted() : try selectTargets(.object(["targets": .array(targets.map { .string($0) })]))
        } catch {
            reply(connection, request.id, .failure(error))
            return
        }
        let follower = Follower(connection: connection.token, requestID: request.id,
                                targets: TargetFilter(targets) { apps[$0] != nil }, streams: streams, daemon: targets.isEmpty)
        var seen = Set<String>()
        var sent = 0
        for id in ids {
            guard let p = processes[id] else { continue }
            for stream in ["out", "err"] where streams.contains(stream) {
                let path = stream == "out" ? p.outLog : p.errLog
                guard seen.insert(path).inserted, let tail = try? File.tail(path, lines: lines) else { continue }
                for line in tail {
                    connection.send(.event(id: request.id, event(id: p.id, name: p.appName, stream: stream, time: nil, line: line)))
                    sent += 1
                }
            }
        }
        if follower.daemon, let tail = try? File.tail(home.daemonLog, lines: lines) {
            for line in tail {
                connection.send(.event(id: request.id, event(id: nil, name: "procd", stream: "daemon", time: nil, line: line)))
                sent += 1
            }
        }
        if follow {
            connection.limit = Self.followerBacklog
            followers.append(follower)
        } else {
            connection.send(.success(id: request.id, result: .object(["lines": .int(sent)])))
        }
    }

    private func event(id: Int?, name: String, stream: String, time: Int64?, line: String) -> JSON {
        .object([
            "id": id.map { .int($0) } ?? .null,
            "name": .string(name),
            "stream": .string(stream),
            "time": time.map { .string(Format.iso8601(millisecondsSinceEpoch: $0)) } ?? .null,
            "line": .string(line),
        ])
    }

    func streamWrote(_ stream: OutputStream, _ bytes: UnsafeRawBufferPointer) {
        if let process = processes[stream.processID] {
            switch stream.kind {
            case .out: process.logBytes.out += Int64(bytes.count)
            case .err:
                process.logBytes.err += Int64(bytes.count)
                process.stderrRing.append(bytes)
            }
            if let container {
                container.console.write(bytes, app: stream.appName, id: process.id, instance: process.instance,
                                        instances: apps[stream.appName]?.spec.instances ?? 1, error: stream.kind == .err)
            }
        }
        guard !followers.isEmpty else { return }
        let namespace = apps[stream.appName]?.spec.namespace ?? "default"
        let interested = followers.filter {
            $0.wants(processID: stream.processID, app: stream.appName, namespace: namespace, stream: stream.kind.rawValue)
        }
        guard !interested.isEmpty else { return }
        let now = Clock.wallMilliseconds()
        var lines = bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        if lines.last?.isEmpty == true { lines.removeLast() }
        for follower in interested {
            guard let connection = connections[follower.connection] else { continue }
            var out: [UInt8] = []
            for line in lines {
                let payload = event(id: stream.processID, name: stream.appName, stream: stream.kind.rawValue, time: now,
                                    line: String(decoding: line, as: UTF8.self))
                out += Reply.event(id: follower.requestID, payload).lineBytes
            }
            deliver(out, to: connection)
        }
    }

    func daemonLogged(_ line: String) {
        guard !followers.isEmpty else { return }
        for follower in followers where follower.daemon {
            guard let connection = connections[follower.connection] else { continue }
            let payload = event(id: nil, name: "procd", stream: "daemon", time: Clock.wallMilliseconds(), line: line)
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

    /// `flush`: empties the log files of the chosen processes.
    func flushLogs(_ ids: [Int]) -> JSON {
        var paths: [String] = []
        for id in ids {
            guard let p = processes[id] else { continue }
            for path in [p.outLog, p.errLog] where !paths.contains(path) { paths.append(path) }
        }
        var flushed: [JSON] = []
        for path in paths {
            do {
                if let file = logFiles[path] { try file.truncate() } else if File.exists(path) { try File.truncate(path) }
                flushed.append(.string(path))
            } catch {
                log.warning("unable to flush \(path): \(error)")
            }
        }
        log.info("flushed \(flushed.count) log file(s)")
        return .object(["files": .array(flushed)])
    }
}
