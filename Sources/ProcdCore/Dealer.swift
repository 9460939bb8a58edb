/// Chooses which instance of a cluster-mode app gets the next connection, and keeps the
/// counts that choice needs. Pure bookkeeping: the daemon accepts, hands over and tells.
///
/// A member is one running instance that listens on the address (a reload has two
/// processes in one slot, so members are named by their channel, not their slot). A
/// connection handed to a member is in flight until the member acknowledges it; a member
/// with `maxInFlight` unacknowledged connections is skipped, so one that stopped reading
/// its channel gets no more work.
public struct Dealer<Member: Hashable> {
    public let balance: Balance
    public private(set) var members: [Member] = []
    private var inFlight: [Member: Int] = [:]
    private var open: [Member: Int] = [:]
    private var cursor = 0

    public static var maxInFlight: Int { 64 }

    public init(balance: Balance) { self.balance = balance }

    public var isEmpty: Bool { members.isEmpty }

    /// Adds a member at the end of the turn order; joining twice changes nothing.
    public mutating func join(_ member: Member) {
        guard !members.contains(member) else { return }
        members.append(member)
    }

    /// Takes a member out of the turn: it gets nothing more. Its counts are forgotten.
    public mutating func leave(_ member: Member) {
        guard let index = members.firstIndex(of: member) else { return }
        members.remove(at: index)
        if index < cursor { cursor -= 1 }
        if cursor >= members.count { cursor = 0 }
        inFlight[member] = nil
        open[member] = nil
    }

    /// The member the next connection goes to, counted as in flight; nil when every member
    /// is saturated or there is none.
    public mutating func next() -> Member? {
        let count = members.count
        guard count > 0 else { return nil }
        var chosen: Int?
        switch balance {
        case .roundRobin, .shared:
            for step in 0..<count where available(members[(cursor + step) % count]) {
                chosen = (cursor + step) % count
                break
            }
        case .leastConnections:
            // The fewest open (in flight included); ties go in turn from the cursor.
            var best = Int.max
            for step in 0..<count {
                let index = (cursor + step) % count
                let member = members[index]
                guard available(member) else { continue }
                let load = open[member, default: 0] + inFlight[member, default: 0]
                if load < best {
                    best = load
                    chosen = index
                }
            }
        }
        guard let index = chosen else { return nil }
        cursor = (index + 1) % count
        let member = members[index]
        inFlight[member, default: 0] += 1
        return member
    }

    /// The member answered for one connection: accepted (now open) or refused.
    public mutating func acknowledged(_ member: Member, accepted: Bool) {
        guard members.contains(member) else { return }
        inFlight[member] = max(0, inFlight[member, default: 0] - 1)
        if accepted { open[member, default: 0] += 1 }
    }

    /// A connection the member served has closed.
    public mutating func closed(_ member: Member) {
        guard members.contains(member) else { return }
        open[member] = max(0, open[member, default: 0] - 1)
    }

    /// Open connections the member holds, as far as it has told.
    public func openConnections(_ member: Member) -> Int { open[member, default: 0] }

    private func available(_ member: Member) -> Bool { inFlight[member, default: 0] < Self.maxInFlight }
}
