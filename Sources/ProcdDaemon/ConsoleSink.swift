import ProcdCore
import ProcdPlatform

/// `procd run`'s console: the apps' output on procd's own standard output and error, a
/// line at a time, as `docker logs` and log collectors read it.
///
/// Writes never block the loop: what the terminal or pipe does not take now waits, up to
/// `maxBacklog` a stream, for it to become writable; beyond that new output is dropped
/// (it is still in the log files, unless those are off) and the count is reported.
final class ConsoleSink {
    enum Format: Sendable {
        /// `NAME| line`, or `NAME#N| line` for an app with several instances.
        case prefixed
        case raw
        /// One JSON object a line: app, id, stream, time, line.
        case json
    }

    let format: Format
    private let outputs: [OwnedFD]
    private var backlog: [[UInt8]] = [[], []]
    private var dropped = [0, 0]
    /// Loop tokens of stdout and stderr, registered while they have a backlog.
    private let tokens: [UInt64]
    private var watched = [false, false]
    private let loop: EventLoop

    static let maxBacklog = 4 << 20

    init(format: Format, loop: EventLoop) {
        self.format = format
        self.loop = loop
        tokens = [loop.makeToken(), loop.makeToken()]
        // procd's own 1 and 2, kept for its lifetime (never closed: they are not ours to close).
        outputs = [OwnedFD(adopting: Environment.standardOutput), OwnedFD(adopting: Environment.standardError)]
        for fd in outputs { try? fd.setNonBlocking() }
    }

    /// Writes the complete lines an app's stream produced.
    func write(_ bytes: UnsafeRawBufferPointer, app: String, id: Int, instance: Int, instances: Int, error: Bool) {
        let index = error ? 1 : 0
        var lines = bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        if lines.last?.isEmpty == true { lines.removeLast() }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + lines.count * (app.utf8.count + 4))
        let prefix = Array((instances > 1 ? "\(app)#\(instance)| " : "\(app)| ").utf8)
        let now = Clock.wallMilliseconds()
        for line in lines {
            switch format {
            case .raw:
                out += line
            case .prefixed:
                out += prefix
                out += line
            case .json:
                let object: JSON = .object([
                    "app": .string(app), "id": .int(id), "stream": .string(error ? "err" : "out"),
                    "time": .string(ProcdCore.Format.iso8601(millisecondsSinceEpoch: now)),
                    "line": .string(String(decoding: line, as: UTF8.self)),
                ])
                out += object.serializedBytes()
            }
            out.append(UInt8(ascii: "\n"))
        }
        emit(out, to: index)
    }

    private func emit(_ bytes: [UInt8], to index: Int) {
        if backlog[index].isEmpty {
            let written = send(bytes, to: index)
            if written == bytes.count { return }
            backlog[index] = Array(bytes[written...])
        } else if backlog[index].count + bytes.count <= Self.maxBacklog {
            backlog[index] += bytes
        } else {
            dropped[index] += bytes.count
        }
        watch(index)
    }

    /// Writes what waits for stream `index`, now that it is writable.
    private func flush(_ index: Int) {
        guard !backlog[index].isEmpty else { return }
        let written = send(backlog[index], to: index)
        backlog[index].removeFirst(written)
        if backlog[index].isEmpty && dropped[index] > 0 {
            let note = "procd: \(dropped[index]) bytes of app output were dropped: this stream was not read fast enough\n"
            dropped[index] = 0
            backlog[index] = Array(note.utf8)
            return flush(index)
        }
        watch(index)
    }

    /// Gives stdout and stderr back as they were (blocking): a terminal shared with the
    /// shell must not stay non-blocking after procd exits. What waits is written first.
    func finish() {
        for (index, fd) in outputs.enumerated() {
            try? fd.setNonBlocking(false)
            if !backlog[index].isEmpty { _ = send(backlog[index], to: index) }
        }
    }

    private func send(_ bytes: [UInt8], to index: Int) -> Int {
        var written = 0
        while written < bytes.count {
            let result: IOResult
            do {
                result = try bytes.withBytes { all throws(SystemError) in try outputs[index].write(UnsafeRawBufferPointer(rebasing: all[written...])) }
            } catch {
                // Nobody reads it any more (a closed pipe): the output is dropped.
                return bytes.count
            }
            guard case .bytes(let n) = result else { break }
            written += n
        }
        return written
    }

    /// Asks for EPOLLOUT on a stream while it has a backlog, and not otherwise.
    private func watch(_ index: Int) {
        let wants = !backlog[index].isEmpty
        guard wants != watched[index] else { return }
        if wants {
            // A regular file is always writable and cannot be watched; it never has a backlog for long.
            let watching = try? loop.watch(outputs[index].raw, .writable, token: tokens[index]) { [weak self] _ in self?.flush(index) }
            if watching != nil { watched[index] = true }
        } else {
            loop.unwatch(outputs[index].raw, token: tokens[index])
            watched[index] = false
        }
    }
}
