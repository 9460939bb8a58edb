import Glibc
import ProcdCore
import ProcdPlatform
import Testing

@testable import ProcdDaemon

struct AcceptorTests {
    /// Each client writes its number before the accept, so the accepted ends show which
    /// connection each is and in what order they were handed over.
    @Test(arguments: [1, 4])
    func everyWaitingConnectionIsHandedOver(clients: Int) throws {
        let path = "/tmp/procd-ac-\(Processes.currentPid)-\(clients).sock"
        try File.remove(path)
        defer { try? File.remove(path) }
        let listener = try UnixSocket.listen(path: path)
        var connected: [OwnedFD] = []
        for number in 0..<clients {
            let client = try UnixSocket.connect(path: path)
            try client.writeAll(String(number))
            connected.append(client)
        }
        let loop = try EventLoop()
        var taken: [OwnedFD] = []
        let acceptor = try Acceptor(listener: listener, loop: loop, name: "test", log: { Issue.record("logged: \($0)") }) {
            taken.append($0)
        }
        #expect(turn(loop) { taken.count == clients })
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 16, alignment: 1)
        defer { buffer.deallocate() }
        let numbers = taken.map { fd in
            guard case .bytes(let n)? = try? fd.read(into: buffer) else { return "nothing" }
            return String(decoding: buffer.prefix(n), as: UTF8.self)
        }
        #expect(numbers == (0..<clients).map { String($0) })
        #expect(!acceptor.isPaused)
        acceptor.close()
    }

    /// A listener whose accepts keep failing is set aside and tried again at growing
    /// intervals: one log line for the whole episode, not one a failure.
    @Test func aFailingListenerIsPausedWithOneLogLine() throws {
        let notAListener = try Pipe(nonBlockingRead: true)
        try notAListener.writeEnd.writeAll("x")
        let loop = try EventLoop()
        var lines: [String] = []
        var taken = 0
        let acceptor = try Acceptor(listener: notAListener.readEnd, loop: loop, name: "test", log: { lines.append($0) }) { _ in
            taken += 1
        }
        let until = Clock.now() + .milliseconds(400)
        #expect(turn(loop) { Clock.now() >= until })
        #expect(acceptor.isPaused)
        #expect(lines.count == 1, "\(lines)")
        #expect(lines.first?.contains("accept failed: accept4") == true, "\(lines)")
        #expect(taken == 0)
        acceptor.close()
        #expect(!acceptor.isPaused)
    }

    /// Out of descriptors for three accepts: the listener is set aside, tried again, and
    /// the waiting client is taken once accepts work; the episode is two log lines.
    @Test(arguments: [EMFILE, ENFILE])
    func runningOutOfDescriptorsPausesThenTakesTheClient(code: Int32) throws {
        let path = "/tmp/procd-ac-\(Processes.currentPid)-fd\(code).sock"
        try File.remove(path)
        defer { try? File.remove(path) }
        let listener = try UnixSocket.listen(path: path)
        defer { FaultInjection.clear(listener.raw) }
        let client = try UnixSocket.connect(path: path)
        defer { client.close() }
        FaultInjection.fail(listener.raw, .accept, with: [EINTR, code, code, code])
        let loop = try EventLoop()
        var lines: [String] = []
        var taken: [OwnedFD] = []
        let acceptor = try Acceptor(listener: listener, loop: loop, name: "test", log: { lines.append($0) }) { taken.append($0) }
        #expect(turn(loop) { !taken.isEmpty })
        #expect(!acceptor.isPaused)
        #expect(lines.count == 2, "\(lines)")
        #expect(lines.first?.contains("not accepting connections until descriptors are freed") == true, "\(lines)")
        #expect(lines.last?.contains("accepting connections again after 3 failed accept(s)") == true, "\(lines)")
        acceptor.close()
    }

    /// An owner that closes the acceptor while taking a connection (it cannot take more)
    /// gets no further one: the rest stay queued in the listener.
    @Test func closingWhileTakingStopsAccepting() throws {
        let path = "/tmp/procd-ac-\(Processes.currentPid)-close.sock"
        try File.remove(path)
        defer { try? File.remove(path) }
        let listener = try UnixSocket.listen(path: path)
        let clients = try (0..<3).map { _ in try UnixSocket.connect(path: path) }
        defer { for client in clients { client.close() } }
        let loop = try EventLoop()
        var taken: [OwnedFD] = []
        var acceptor: Acceptor?
        acceptor = try Acceptor(listener: listener, loop: loop, name: "test", log: { Issue.record("logged: \($0)") }) {
            taken.append($0)
            acceptor?.close()
        }
        #expect(turn(loop) { !taken.isEmpty })
        #expect(taken.count == 1)
        #expect(try UnixSocket.accept(listener) != nil, "the others are still queued")
    }
}
