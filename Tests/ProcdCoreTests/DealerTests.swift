import Testing

@testable import ProcdCore

@Suite struct DealerTests {
    /// Deals `count` connections and acknowledges each as accepted; returns who got them.
    private func deal(_ dealer: inout Dealer<Int>, _ count: Int) -> [Int] {
        (0..<count).compactMap { _ in
            guard let member = dealer.next() else { return nil }
            dealer.acknowledged(member, accepted: true)
            return member
        }
    }

    @Test func roundRobinGoesInTurn() {
        var dealer = Dealer<Int>(balance: .roundRobin)
        for member in [7, 8, 9] { dealer.join(member) }
        #expect(deal(&dealer, 7) == [7, 8, 9, 7, 8, 9, 7])
    }

    @Test func joiningTwiceChangesNothingAndLeavingKeepsTheTurn() {
        var dealer = Dealer<Int>(balance: .roundRobin)
        for member in [1, 2, 3, 1] { dealer.join(member) }
        #expect(dealer.members == [1, 2, 3])
        #expect(deal(&dealer, 2) == [1, 2])
        dealer.leave(2)
        #expect(deal(&dealer, 3) == [3, 1, 3], "the next after 2 is 3")
        dealer.leave(3)
        dealer.leave(1)
        #expect(dealer.next() == nil)
        #expect(dealer.isEmpty)
    }

    @Test func aMemberWithTooManyUnansweredConnectionsIsSkipped() {
        var dealer = Dealer<Int>(balance: .roundRobin)
        dealer.join(1)
        dealer.join(2)
        var toOne = 0
        for _ in 0..<(2 * Dealer<Int>.maxInFlight) {
            guard let member = dealer.next() else { break }
            if member == 1 { toOne += 1 } else { dealer.acknowledged(member, accepted: true) }
        }
        #expect(toOne == Dealer<Int>.maxInFlight, "member 1 never answered: it gets no more than the bound")
        #expect(dealer.next() == 2)
        dealer.acknowledged(1, accepted: false)
        #expect(dealer.next() == 1, "an answer makes room again")
    }

    @Test func leastConnectionsPrefersTheLeastBusy() {
        var dealer = Dealer<Int>(balance: .leastConnections)
        for member in [1, 2, 3] { dealer.join(member) }
        #expect(deal(&dealer, 3).sorted() == [1, 2, 3])
        // 1 and 3 finish their connections; 2 is slow and keeps its one.
        dealer.closed(1)
        dealer.closed(3)
        let next = deal(&dealer, 4)
        #expect(!next.prefix(2).contains(2), "the busy member waits while others are free: \(next)")
        #expect(next.filter { $0 == 2 }.count <= 1, "\(next)")
        #expect(dealer.openConnections(2) >= 1)
    }

    @Test func leastConnectionsCountsConnectionsInFlight() {
        var dealer = Dealer<Int>(balance: .leastConnections)
        dealer.join(1)
        dealer.join(2)
        let first = dealer.next()
        let second = dealer.next()
        #expect(first != second, "an unanswered connection counts as open")
    }

    @Test func countsOfAMemberThatLeftAreForgotten() {
        var dealer = Dealer<Int>(balance: .leastConnections)
        dealer.join(1)
        _ = deal(&dealer, 3)
        dealer.leave(1)
        dealer.acknowledged(1, accepted: true)
        dealer.closed(1)
        dealer.join(1)
        #expect(dealer.openConnections(1) == 0)
    }

    @Test(arguments: [
        ("round-robin", Balance.roundRobin), ("rr", .roundRobin), ("Least-Connections", .leastConnections),
        ("leastconn", .leastConnections), ("shared", .shared), ("none", .shared),
    ])
    func balanceNames(_ text: String, _ expected: Balance) {
        #expect(Balance.parse(text) == expected)
    }

    @Test func anUnknownBalanceIsRefused() {
        #expect(Balance.parse("random") == nil)
        #expect(Balance.expectation("random").contains("round-robin, least-connections or shared"))
    }
}
