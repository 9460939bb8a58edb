import Testing

@testable import ProcdCore

@Suite struct KeeperMessageTests {
    @Test(arguments: [
        (KeeperMessage.hello, "hello"), (.up, "up"), (.end, "end"),
        (.hold(key: "s17", meta: #"{"app":"api web","kind":"out"}"#), #"hold s17 {"app":"api web","kind":"out"}"#),
        (.have(key: "control", meta: "{}"), "have control {}"),
        (.drop(key: "x9"), "drop x9"),
        (.exit(pid: 4242, status: .code(7)), "exit 4242 code 7"),
        (.exit(pid: 4242, status: .signal(9)), "exit 4242 signal 9"),
    ])
    func eachMessageIsOneLineAndReadsBack(_ message: KeeperMessage, _ text: String) {
        #expect(message.text == text)
        #expect(KeeperMessage(text) == message)
    }

    @Test(arguments: [
        "", "hello there", "hold", "hold s1", "hold  {}", "drop", "drop ", "exit", "exit 1", "exit x code 1",
        "exit 0 code 1", "exit -3 code 1", "exit 5 code", "exit 5 wave 1", "exit 5 code 1 2", "EXIT 5 code 1", "up now",
    ])
    func anythingElseIsNotAMessage(_ text: String) {
        #expect(KeeperMessage(text) == nil, "\(text.debugDescription)")
    }

    @Test func keysHaveNoSpaces() {
        #expect(KeeperMessage.isValidKey("s12"))
        #expect(!KeeperMessage.isValidKey(""))
        #expect(!KeeperMessage.isValidKey("a b"))
        #expect(!KeeperMessage.isValidKey(String(repeating: "k", count: 300)))
    }
}
