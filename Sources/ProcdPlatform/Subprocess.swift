import CProcdLinux
import ProcdCore

/// Runs a helper program to completion and collects its output (for `node` evaluating a
/// config file). Blocking: for the client, never the daemon.
public enum Subprocess {
    public struct Output: Sendable {
        public var status: ExitStatus
        public var standardOutput: [UInt8]
        public var standardError: [UInt8]
    }

    public static func run(path: String, argv: [String], env: [String], cwd: String?, limit: Int = 16 << 20) throws(SystemError) -> Output {
        let out = try Pipe(nonBlockingRead: true)
        let err = try Pipe(nonBlockingRead: true)
        let null = try File.openNull()
        let pid = try Spawn.spawn(Spawn.Request(path: path, argv: argv, env: env, cwd: cwd,
                                                descriptors: [null.raw, out.writeEnd.raw, err.writeEnd.raw]))
        out.writeEnd.close()
        err.writeEnd.close()
        null.close()
        var collected: [[UInt8]] = [[], []]
        let epoll = try Epoll()
        try epoll.add(out.readEnd.raw, events: .readable, token: 0)
        try epoll.add(err.readEnd.raw, events: .readable, token: 1)
        var open = 2
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 65_536, alignment: 8)
        defer { buffer.deallocate() }
        while open > 0 {
            for event in try epoll.wait(timeout: nil) {
                let index = Int(event.token)
                let fd = index == 0 ? out.readEnd : err.readEnd
                guard fd.isOpen else { continue }
                switch try fd.read(into: buffer) {
                case .bytes(let n):
                    if collected[index].count < limit { collected[index] += buffer[0..<n] }
                case .wouldBlock:
                    break
                case .endOfFile:
                    epoll.remove(fd.raw)
                    fd.close()
                    open -= 1
                }
            }
        }
        return Output(status: Processes.wait(for: pid), standardOutput: collected[0], standardError: collected[1])
    }
}
