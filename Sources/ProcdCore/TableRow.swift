/// The compact row `list` sends for the table view, written straight into a byte buffer.
///
/// Byte for byte what `ProcessSnapshot.tableJSON` serialises to, without building the
/// snapshot or the JSON tree: a `list` of a hundred processes is asked for thousands of
/// times a second by dashboards and scripts. The part that never changes for a process
/// (id, name, namespace, instance) is rendered once and kept as `prefix`.
public enum TableRow {
    /// `{"id":…,"name":…,"namespace":…,"instance":…,"pid":`
    public static func prefix(id: Int, name: String, namespace: String, instance: Int) -> [UInt8] {
        var out: [UInt8] = []
        out += Array(#"{"id":"#.utf8)
        appendInteger(Int64(id), to: &out)
        out += Array(#","name":"#.utf8)
        JSON.writeString(name, to: &out)
        out += Array(#","namespace":"#.utf8)
        JSON.writeString(namespace, to: &out)
        out += Array(#","instance":"#.utf8)
        appendInteger(Int64(instance), to: &out)
        out += Array(#","pid":"#.utf8)
        return out
    }

    /// Appends one row: `prefix`, then the fields that change.
    public static func append(
        prefix: [UInt8], pid: Int32?, status: ProcessStatus, restarts: Int, uptimeMilliseconds: Int64?,
        cpu: Double, memory: Int64, to out: inout [UInt8]
    ) {
        out += prefix
        if let pid { appendInteger(Int64(pid), to: &out) } else { out += nullBytes }
        out += statusKey
        JSON.writeString(status.rawValue, to: &out)
        out += restartsKey
        appendInteger(Int64(restarts), to: &out)
        out += uptimeKey
        if let uptimeMilliseconds { appendInteger(uptimeMilliseconds, to: &out) } else { out += nullBytes }
        out += cpuKey
        out += JSON.format(number: (cpu * 10).rounded() / 10).utf8
        out += memoryKey
        appendInteger(memory, to: &out)
        out.append(UInt8(ascii: "}"))
    }

    private static let nullBytes = Array("null".utf8)
    private static let statusKey = Array(#","status":"#.utf8)
    private static let restartsKey = Array(#","restarts":"#.utf8)
    private static let uptimeKey = Array(#","uptime_ms":"#.utf8)
    private static let cpuKey = Array(#","cpu":"#.utf8)
    private static let memoryKey = Array(#","memory":"#.utf8)

    /// Decimal digits without a String in between.
    static func appendInteger(_ value: Int64, to out: inout [UInt8]) {
        if value < 0 { out.append(UInt8(ascii: "-")) }
        var magnitude = value.magnitude
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                     UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var count = 0
        withUnsafeMutableBytes(of: &digits) { buffer in
            repeat {
                buffer[count] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                magnitude /= 10
                count += 1
            } while magnitude > 0
            for i in stride(from: count - 1, through: 0, by: -1) { out.append(buffer[i]) }
        }
    }
}
