import ProcdCore
import ProcdPlatform

/// The daemon's side of the keeper (see `Keeper`): which descriptors the keeper holds
/// for it, kept in step with what the daemon holds, and the exits the keeper reaps.
final class KeeperLink {
    /// What the keeper gave a starting daemon: descriptors by key, and exits it reaped.
    struct Inheritance {
        var held: [String: (fd: OwnedFD, meta: JSON)] = [:]
        var exits: [Processes.Reaped] = []
        var isEmpty: Bool { held.isEmpty && exits.isEmpty }
    }

    /// One descriptor the keeper should hold, with what a later daemon needs to use it.
    struct Holding {
        var fd: OwnedFD
        var meta: JSON
    }

    let socket: OwnedFD
    let token: UInt64
    /// What the keeper holds now, by key: the descriptor number and object sent.
    private var sent: [String: (raw: Int32, object: ObjectIdentifier)] = [:]
    /// Some changes did not fit in the socket; they go when it is writable.
    private(set) var behind = false
    private let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 16 << 10, alignment: 8)

    init(socket: OwnedFD, token: UInt64) {
        self.socket = socket
        self.token = token
    }

    /// The link a keeper gave this process, if any (`PROCD_KEEPER_FD`).
    static func inherited(token: UInt64) -> KeeperLink? {
        guard let raw = Environment.get(Keeper.linkVariable).flatMap(Int32.init), raw >= 0 else { return nil }
        Processes.keepAcrossExec(raw, false)
        return KeeperLink(socket: OwnedFD(adopting: raw), token: token)
    }

    /// Says hello and takes what the keeper holds: blocking, before the loop starts.
    func greet() -> Inheritance {
        var inheritance = Inheritance()
        guard case .bytes? = Self.write(KeeperMessage.hello, on: socket) else { return inheritance }
        while true {
            guard let (result, passed) = try? Sockets.receive(socket, into: buffer, wait: true), case .bytes(let n) = result else { break }
            let text = String(decoding: UnsafeRawBufferPointer(rebasing: buffer[0..<n]), as: UTF8.self)
            switch KeeperMessage(text) {
            case .have(let key, let meta)?:
                guard let passed else { continue }
                inheritance.held[key] = (passed, (try? JSONParser.parse(bytes: Array(meta.utf8))) ?? .null)
                sent[key] = (passed.raw, ObjectIdentifier(passed))
            case .exit(let pid, let status)?:
                inheritance.exits.append(Processes.Reaped(pid: pid, status: status))
            case .end?:
                try? socket.setNonBlocking()
                return inheritance
            default:
                passed?.close()
            }
        }
        try? socket.setNonBlocking()
        return inheritance
    }

    /// Tells the keeper the daemon runs its loop.
    func sayUp() {
        _ = Self.write(.up, on: socket)
    }

    /// Brings the keeper's holdings in line with `wanted`: new ones first, then the ones
    /// gone, so no descriptor is ever held by neither.
    func sync(_ wanted: [String: Holding]) {
        behind = false
        for (key, holding) in wanted {
            if let previous = sent[key], previous.raw == holding.fd.raw, previous.object == ObjectIdentifier(holding.fd) { continue }
            guard holding.fd.isOpen else { continue }
            let message = Array(KeeperMessage.hold(key: key, meta: holding.meta.serialized()).text.utf8)
            switch message.withUnsafeBytes({ try? Sockets.send(socket, $0, passing: holding.fd) }) {
            case .bytes?: sent[key] = (holding.fd.raw, ObjectIdentifier(holding.fd))
            case .wouldBlock?: behind = true
            default: return
            }
        }
        for key in sent.keys where wanted[key] == nil {
            switch Self.write(.drop(key: key), on: socket) {
            case .bytes?: sent[key] = nil
            case .wouldBlock?: behind = true
            default: return
            }
        }
    }

    private static func write(_ message: KeeperMessage, on socket: OwnedFD) -> IOResult? {
        Array(message.text.utf8).withUnsafeBytes { try? socket.write($0) }
    }

    /// Exits the keeper reaped (of processes it took over while no daemon ran); nil when
    /// the keeper is gone.
    func readExits() -> [Processes.Reaped]? {
        var exits: [Processes.Reaped] = []
        while true {
            guard let (result, passed) = try? Sockets.receive(socket, into: buffer, wait: false) else { return nil }
            passed?.close()
            switch result {
            case .bytes(let n):
                let text = String(decoding: UnsafeRawBufferPointer(rebasing: buffer[0..<n]), as: UTF8.self)
                if case .exit(let pid, let status)? = KeeperMessage(text) { exits.append(Processes.Reaped(pid: pid, status: status)) }
            case .wouldBlock:
                return exits
            case .endOfFile:
                return nil
            }
        }
    }
}
