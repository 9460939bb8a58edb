/// A whole `list --json` row written straight into a byte buffer: byte for byte what
/// `ProcessSnapshot.json` serialises to, without building the JSON tree.
///
/// Scripts, the dashboard and `--host` ask for the full list, often: with a hundred
/// processes the tree cost most of a request. Only uptime, CPU and memory change from one
/// request to the next; everything else changes with the process's lifecycle or its app's
/// definition. So a row is rendered once into `Parts` (the bytes around those three
/// figures), kept by the daemon until the process changes, and each request writes the
/// parts with the three figures between them.
public enum ListRow {
    public struct Parts: Equatable, Sendable {
        /// From `{` to `"uptime_ms":`.
        var head: [UInt8]
        /// From `,"started_at":` to `"cpu":`.
        var middle: [UInt8]
        /// From `,"exit_code":` to the closing `}`.
        var tail: [UInt8]
    }

    /// Renders everything of `s` but its uptime, CPU and memory.
    public static func parts(_ s: ProcessSnapshot) -> Parts {
        var head = TableRow.prefix(id: s.id, name: s.name, namespace: s.namespace, instance: s.instance)
        integer(s.pid.map(Int64.init), &head)
        head += Array(#","status":"#.utf8)
        JSON.writeString(s.status.rawValue, to: &head)
        head += Array(#","restarts":"#.utf8)
        TableRow.appendInteger(Int64(s.restarts), to: &head)
        head += Array(#","unstable_restarts":"#.utf8)
        TableRow.appendInteger(Int64(s.unstableRestarts), to: &head)
        head += Array(#","uptime_ms":"#.utf8)
        var middle = Array(#","started_at":"#.utf8)
        if let started = s.startedAtMilliseconds {
            JSON.writeString(Format.iso8601(millisecondsSinceEpoch: started), to: &middle)
        } else {
            middle += nullBytes
        }
        middle += Array(#","cpu":"#.utf8)
        var tail = Array(#","exit_code":"#.utf8)
        integer(s.exitCode.map(Int64.init), &tail)
        tail += Array(#","exit_signal":"#.utf8)
        if let signal = s.exitSignal { JSON.writeString(signal, to: &tail) } else { tail += nullBytes }
        tail += Array(#","command":["#.utf8)
        for (i, word) in s.command.enumerated() {
            if i > 0 { tail.append(UInt8(ascii: ",")) }
            JSON.writeString(word, to: &tail)
        }
        tail += Array(#"],"cwd":"#.utf8)
        JSON.writeString(s.cwd, to: &tail)
        tail += Array(#","out_log":"#.utf8)
        JSON.writeString(s.outLog, to: &tail)
        tail += Array(#","err_log":"#.utf8)
        JSON.writeString(s.errLog, to: &tail)
        tail += Array(#","ports":["#.utf8)
        for (i, port) in s.ports.enumerated() {
            if i > 0 { tail.append(UInt8(ascii: ",")) }
            TableRow.appendInteger(Int64(port), to: &tail)
        }
        tail.append(UInt8(ascii: "]"))
        if let reason = s.reason {
            tail += Array(#","reason":"#.utf8)
            JSON.writeString(reason, to: &tail)
        }
        if let note = s.notReady {
            tail += Array(#","not_ready":"#.utf8)
            JSON.writeString(note, to: &tail)
        }
        if let ready = s.ready { tail += Array((ready ? #","ready":true"# : #","ready":false"#).utf8) }
        tail.append(UInt8(ascii: "}"))
        return Parts(head: head, middle: middle, tail: tail)
    }

    /// Appends a row: `parts` with the figures that change between requests.
    public static func append(_ parts: Parts, uptimeMilliseconds: Int64?, cpu: Double, memory: Int64, to out: inout [UInt8]) {
        out += parts.head
        integer(uptimeMilliseconds, &out)
        out += parts.middle
        out += JSON.format(number: (cpu * 10).rounded() / 10).utf8
        out += memoryKey
        TableRow.appendInteger(memory, to: &out)
        out += parts.tail
    }

    private static func integer(_ value: Int64?, _ out: inout [UInt8]) {
        if let value { TableRow.appendInteger(value, to: &out) } else { out += nullBytes }
    }

    private static let nullBytes = Array("null".utf8)
    private static let memoryKey = Array(#","memory":"#.utf8)
}
