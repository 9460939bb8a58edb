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

extension Daemon {
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
            ids = targets.isEmpty ? table.processIDs : try selectTargets(.object(["targets": .array(targets.map { .string($0) })]))
        } catch {
            reply(connection, request.id, .failure(error))
            return
        }
        let follower = Follower(connection: connection.token, requestID: request.id,
                                targets: TargetFilter(targets) { table.app($0) != nil }, streams: streams, daemon: targets.isEmpty)
        var seen = Set<String>()
        var sent = 0
        for id in ids {
            guard let p = table.process(id) else { continue }
            for stream in ["out", "err"] where streams.contains(stream) {
                let path = stream == "out" ? p.outLog : p.errLog
                guard seen.insert(path).inserted, let tail = try? File.tail(path, lines: lines) else { continue }
                for line in tail {
                    connection.send(.event(id: request.id, LogLine.event(id: p.id, name: p.appName, stream: stream, time: nil, line: line)))
                    sent += 1
                }
            }
        }
        if follower.daemon, let tail = try? File.tail(startup.home.daemonLog, lines: lines) {
            for line in tail {
                connection.send(.event(id: request.id, LogLine.event(id: nil, name: "procd", stream: "daemon", time: nil, line: line)))
                sent += 1
            }
        }
        if follow {
            logs.follow(follower, on: connection)
        } else {
            connection.send(.success(id: request.id, result: .object(["lines": .int(sent)])))
        }
    }

    /// Counts what a process wrote, keeps its last stderr lines, and under `procd run`
    /// copies it to the console.
    func recordOutput(_ stream: OutputStream, _ bytes: UnsafeRawBufferPointer) {
        guard let process = table.process(stream.processID) else { return }
        if let line = table.app(stream.appName)?.spec.readyLogLine { stack.output(process, bytes, line: line) }
        if let container {
            container.console.write(bytes, app: stream.appName, id: process.id, instance: process.instance,
                                    instances: table.app(stream.appName)?.spec.instances ?? 1, error: stream.kind == .err)
        }
    }

    /// `flush`: empties the log files of the chosen processes.
    func flushLogs(_ ids: [Int]) -> JSON {
        var paths: [String] = []
        for id in ids {
            guard let p = table.process(id) else { continue }
            for path in [p.outLog, p.errLog] where !paths.contains(path) { paths.append(path) }
        }
        let flushed = logs.truncate(paths).map { JSON.string($0) }
        log.info("flushed \(flushed.count) log file(s)")
        return .object(["files": .array(flushed)])
    }
}
