import Testing

@testable import ProcdCore

@Suite struct RunExitTests {
    typealias O = RunExit.Outcome

    static let failures: [(O, Int32?)] = [
        // outcome, failure code (nil: ended cleanly or not final)
        (O(status: .stopped, lastExit: .code(0)), nil),
        (O(status: .stopped, lastExit: .code(3), stopExitCodes: [3]), nil),
        (O(status: .stopped, lastExit: .signal(15), stoppedOnRequest: true), nil),
        (O(status: .stopped, lastExit: .code(7)), 7),
        (O(status: .stopped, lastExit: .signal(9)), 1),
        (O(status: .errored, lastExit: .code(2)), 2),
        (O(status: .errored, lastExit: .code(0)), 1),
        (O(status: .errored, lastExit: nil), 1),
        (O(status: .online, lastExit: .code(1)), nil),
        (O(status: .waiting, lastExit: .code(1)), nil),
    ]

    @Test(arguments: failures)
    func failureCodes(_ outcome: O, _ expected: Int32?) {
        #expect(outcome.failureCode == expected)
    }

    static let endings: [([O], Int32?, Int32?)] = [
        ([O(status: .stopped, lastExit: .code(0)), O(status: .stopped, lastExit: .code(0))], nil, 0),
        ([O(status: .stopped, lastExit: .code(0)), O(status: .online, lastExit: nil)], nil, nil),
        ([O(status: .stopped, lastExit: .code(0)), O(status: .errored, lastExit: .code(4))], nil, 4),
        ([O(status: .errored, lastExit: .code(4)), O(status: .stopped, lastExit: .code(5))], 5, 5),
        ([O(status: .waiting, lastExit: .code(4))], 4, nil),
        ([], nil, nil),
    ]

    @Test(arguments: endings)
    func exitOnceEverythingHasEnded(_ outcomes: [O], _ firstFailure: Int32?, _ expected: Int32?) {
        #expect(RunExit.code(outcomes, firstFailure: firstFailure) == expected)
    }
}
