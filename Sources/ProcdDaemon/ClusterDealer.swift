import ProcdCore
import ProcdPlatform

/// Cluster mode's round-robin and least-connections balancing: the daemon accepts on an
/// app's listening socket and hands each connection to one instance over its IPC channel,
/// as Node's cluster primary does. The instance acknowledges every connection; until then
/// the daemon keeps its copy, so a connection an instance refuses (it is closing) or never
/// read (it died) goes to another instead of being lost.
final class ClusterDealer {
    /// One listening address of one app, and the instances that take its connections.
    private final class Pool {
        let app: String
        let key: String
        let listener: OwnedFD
        var dealer: Dealer<UInt64>
        var channels: [UInt64: IPCChannel] = [:]
        /// Connections waiting for a member (none is ready, or each is saturated).
        var waiting: [OwnedFD] = []
        /// Accepting, while some member can take connections.
        var acceptor: Acceptor?

        init(app: String, key: String, listener: OwnedFD, balance: Balance) {
            self.app = app
            self.key = key
            self.listener = listener
            dealer = Dealer(balance: balance)
        }
    }

    /// A connection handed over and not yet acknowledged.
    private struct Handed {
        var fd: OwnedFD
        var pool: String
        var member: UInt64
    }

    /// Connections held while no instance can take them; beyond this, the listener's own
    /// queue holds the rest (the daemon stops accepting).
    static let maxWaiting = 256

    private let loop: EventLoop
    private let log: DaemonLog
    private var pools: [String: Pool] = [:]
    private var handed: [Int: Handed] = [:]
    private var lastSeq = 0

    init(loop: EventLoop, log: DaemonLog) {
        self.loop = loop
        self.log = log
    }

    /// The pool's name: the app and the address as its instances asked for it.
    static func key(app: String, address: ListenAddress) -> String { "\(app) \(address)" }

    /// Adds an instance to the pool of `address`, made on first use with the app's socket.
    func join(app: String, key: String, listener: OwnedFD, balance: Balance, channel: IPCChannel) {
        let pool: Pool
        if let known = pools[key], known.listener === listener, known.dealer.balance == balance {
            pool = known
        } else {
            if let stale = pools[key] { retire(stale) }
            pool = Pool(app: app, key: key, listener: listener, balance: balance)
            pools[key] = pool
        }
        pool.channels[channel.token] = channel
        pool.dealer.join(channel.token)
        dealWaiting(pool)
        watch(pool)
    }

    /// Takes a channel out of every pool: it gets no new connection. Those it holds
    /// unanswered stay its own until it answers, or until `channelClosed`.
    func leave(_ channel: UInt64, key: String? = nil) {
        for pool in pools.values where pool.channels[channel] != nil {
            if let key, pool.key != key { continue }
            pool.dealer.leave(channel)
            pool.channels[channel] = nil
            watch(pool)
        }
    }

    /// The channel is gone: what it never acknowledged goes to the others.
    func channelClosed(_ channel: UInt64) {
        leave(channel)
        for (seq, item) in handed where item.member == channel {
            handed[seq] = nil
            redeal(item.fd, pool: item.pool)
        }
    }

    /// An instance's answer for connection `seq`.
    func acknowledged(_ channel: UInt64, seq: Int, accepted: Bool) {
        guard let item = handed[seq], item.member == channel else { return }
        handed[seq] = nil
        pools[item.pool]?.dealer.acknowledged(channel, accepted: accepted)
        if accepted {
            item.fd.close()
            // A descriptor is free again: a port paused for want of one tries now.
            for pool in pools.values { pool.acceptor?.resume() }
        } else {
            redeal(item.fd, pool: item.pool)
        }
    }

    /// An instance says a connection it served has closed (least-connections only).
    func connectionClosed(_ channel: UInt64, key: String) {
        pools[key]?.dealer.closed(channel)
    }

    /// The app is gone or its sockets closed: its pools go, connections waiting included.
    func forget(app: String) {
        for (key, pool) in pools where pool.app == app {
            retire(pool)
            pools[key] = nil
        }
    }

    // MARK: Accepting

    /// Accepts while some member can take connections, and not otherwise: with no
    /// instance ready, connections queue in the kernel, not in the daemon. Running out of
    /// descriptors pauses accepting (`Acceptor`), said once an episode.
    private func watch(_ pool: Pool) {
        let wanted = !pool.dealer.isEmpty && pool.waiting.count < Self.maxWaiting
        guard wanted != (pool.acceptor != nil) else { return }
        if wanted {
            do {
                pool.acceptor = try Acceptor(listener: pool.listener, loop: loop, name: pool.key, log: { [log] in log.warning($0) }) {
                    [weak self, weak pool] connection in
                    guard let self, let pool, self.pools[pool.key] === pool else { return connection.close() }
                    self.deal(connection, pool)
                }
            } catch {
                log.warning("\(pool.key): cannot watch the listening socket: \(error)")
            }
        } else {
            pool.acceptor?.close()
            pool.acceptor = nil
        }
    }

    private func redeal(_ fd: OwnedFD, pool key: String) {
        guard let pool = pools[key] else {
            fd.close()
            return
        }
        deal(fd, pool)
    }

    /// Hands `connection` to the next member; holds it when none can take it.
    private func deal(_ connection: OwnedFD, _ pool: Pool) {
        while let member = pool.dealer.next() {
            guard let channel = pool.channels[member], !channel.isClosed else {
                pool.dealer.leave(member)
                pool.channels[member] = nil
                continue
            }
            lastSeq += 1
            let message: JSON = .object([
                "cmd": .string("NODE_HANDLE"), "type": .string("net.Native"),
                "msg": .object(["cmd": .string("NODE_PROCD_CONN"), "key": .string(pool.key), "seq": .int(lastSeq)]),
            ])
            if channel.send(message, passing: connection) {
                handed[lastSeq] = Handed(fd: connection, pool: pool.key, member: member)
                if channel.wantsWrite { channel.updateInterest(in: loop) }
                return
            }
            // A full or closed channel: that member takes nothing more for now.
            pool.dealer.acknowledged(member, accepted: false)
            pool.dealer.leave(member)
            pool.channels[member] = nil
        }
        if pool.waiting.count < Self.maxWaiting {
            pool.waiting.append(connection)
        } else {
            connection.close()
        }
        watch(pool)
    }

    private func dealWaiting(_ pool: Pool) {
        let waiting = pool.waiting
        pool.waiting = []
        for connection in waiting { deal(connection, pool) }
    }

    private func retire(_ pool: Pool) {
        pool.acceptor?.close()
        pool.acceptor = nil
        for fd in pool.waiting { fd.close() }
        pool.waiting = []
    }
}
