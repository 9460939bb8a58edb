import ProcdCore
import ProcdPlatform

/// The daemon's side of the keeper (see `Keeper`): which descriptors the keeper holds
/// for it, kept in step with what the daemon holds, and the exits the keeper reaps.
///
/// Changes go one message each as they happen (`hold` when the daemon opens a descriptor
/// that must outlive it, `drop` when it closes one); what does not fit in the socket
/// waits, in order, until it is writable.
final class KeeperLink {
    /// The loop's token for the link's socket, once the daemon watches it.
    var token: UInt64 = 0
    /// What the keeper gave a starting daemon: descriptors by key, and exits it reaped.
    struct Inheritance {
        var held: [String: (fd: OwnedFD, meta: JSON)] = [:]
        var exits: [Processes.Reaped] = []
        var isEmpty: Bool { held.isEmpty && exits.isEmpty }
    }

    private enum Change {
        case hold(String, OwnedFD, String)
        /// A message without a descriptor: `drop`, `hello`, `up`.
        case say(KeeperMessage)
    }

    let socket: OwnedFD
    /// The descriptor object the keeper holds a copy of, by key.
    private var held: [String: ObjectIdentifier] = [:]
    /// Keys a previous daemon used, until this one has taken their descriptors over.
    private var inherited = Set<String>()
    private var waiting: [Change] = []
    /// The table changed since the listening sockets were last brought in line.
    private var listenersChanged = true
    private let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 16 << 10, alignment: 8)

    /// The apps' listening sockets may have changed: they are synced at the end of the turn.
    func tableChanged() { listenersChanged = true }
    var needsSync: Bool { listenersChanged }
    func synced() { listenersChanged = false }

    init(socket: OwnedFD) {
        self.socket = socket
    }

    /// The keeper said it holds nothing for this daemon: `greet` does not wait for its answer.
    private var keeperIsEmpty = false

    /// The link a keeper gave this process, if any (`PROCD_KEEPER_FD`).
    static func inherited() -> KeeperLink? {
        guard let raw = Environment.get(EnvironmentName.keeperFD).flatMap(Int32.init), raw >= 0 else { return nil }
        Processes.keepAcrossExec(raw, false)
        let link = KeeperLink(socket: OwnedFD(adopting: raw))
        // (An image after `update` adopts its table and does not greet.)
        link.keeperIsEmpty = Environment.get(EnvironmentName.keeperEmpty) == "1"
        return link
    }

    /// The first daemon is a fork of its keeper, made after the control and notify sockets
    /// were opened: the keeper holds them from the fork on and greets the daemon then, so
    /// `sayUp` says only `up`, and nothing is sent before the table first changes (that sync
    /// sends both sockets, which the keeper takes in place of its own copies). The link is
    /// made non-blocking here, as `greet` does for a later daemon: a keeper that is slow to
    /// read makes changes wait, never the daemon.
    func holdsSinceFork() {
        listenersChanged = false
        try? socket.setNonBlocking()
    }

    /// What the keeper is told of the control socket, to give a later daemon.
    static func controlMeta(_ home: ProcdHome) -> JSON { .object(["path": .string(home.socket)]) }
    /// What the keeper is told of the notify socket: its address, which apps were given.
    static func notifyMeta(_ address: String) -> JSON { .object(["address": .string(address)]) }

    /// Some changes wait for the socket to be writable.
    var isBehind: Bool { !waiting.isEmpty }

    /// Says hello and takes what the keeper holds: blocking, before the loop starts.
    func greet() -> Inheritance {
        var inheritance = Inheritance()
        defer { try? socket.setNonBlocking() }
        // Nothing to take: the hello goes with `up`, once the daemon serves (the keeper's
        // answer, `end` and nothing else, is read by the loop), so the keeper's work for it
        // (keeper.pid) does not compete with the daemon's start for a core.
        if keeperIsEmpty { return inheritance }
        guard case .bytes? = Self.write(.hello, on: socket) else { return inheritance }
        while true {
            guard let (result, passed) = try? Sockets.receive(socket, into: buffer, wait: true), case .bytes(let n) = result else {
                return inheritance
            }
            let text = String(decoding: UnsafeRawBufferPointer(rebasing: buffer[0..<n]), as: UTF8.self)
            switch KeeperMessage(text) {
            case .have(let key, let meta)?:
                guard let passed else { continue }
                inheritance.held[key] = (passed, (try? JSONParser.parse(bytes: Array(meta.utf8))) ?? .null)
                inherited.insert(key)
            case .exit(let pid, let status)?:
                inheritance.exits.append(Processes.Reaped(pid: pid, status: status))
            case .end?:
                return inheritance
            default:
                passed?.close()
            }
        }
    }

    /// Tells the keeper the daemon runs its loop; after the changes already waiting, so
    /// that a full link delays `up` rather than losing it.
    func sayUp() {
        if keeperIsEmpty { send(.say(.hello)) }
        send(.say(.up))
    }

    /// The keeper keeps a copy of `fd` under `key` (replacing what it held there).
    func hold(_ key: String, _ fd: OwnedFD, meta: @autoclosure () -> JSON) {
        guard fd.isOpen, held[key] != ObjectIdentifier(fd) else { return }
        held[key] = ObjectIdentifier(fd)
        inherited.remove(key)
        send(.hold(key, fd, meta().serialized()))
    }

    func drop(_ key: String) {
        guard held.removeValue(forKey: key) != nil else { return }
        send(.say(.drop(key: key)))
    }

    /// Keys the keeper holds whose first letter is among `kinds` (every key when empty).
    func heldKeys(kinds: Set<Character>) -> [String] {
        held.keys.filter { key in kinds.isEmpty || key.first.map(kinds.contains) == true }
    }

    /// Keys the image before an update had the keeper hold; dropped by `forgetInherited`.
    func inherit(keys: [String]) {
        inherited.formUnion(keys)
    }

    /// Lets the keeper close the copies a previous daemon had it keep, once this daemon
    /// has handed over its own.
    func forgetInherited() {
        for key in inherited { send(.say(.drop(key: key))) }
        inherited.removeAll()
    }

    private func send(_ change: Change) {
        waiting.append(change)
        if waiting.count == 1 { flush() }
    }

    /// Sends what waits, in order, until the socket is full.
    func flush() {
        while let change = waiting.first {
            let result: IOResult?
            switch change {
            case .hold(let key, let fd, let meta):
                // A descriptor closed while it waited is not sent; its drop follows.
                guard fd.isOpen else {
                    waiting.removeFirst()
                    continue
                }
                let message = Array(KeeperMessage.hold(key: key, meta: meta).text.utf8)
                result = message.withUnsafeBytes { try? Sockets.send(socket, $0, passing: fd) }
            case .say(let message):
                result = Self.write(message, on: socket)
            }
            switch result {
            case .bytes?: waiting.removeFirst()
            case .wouldBlock?: return
            default:
                waiting.removeAll()
                return
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
