import ProcdCore
import ProcdPlatform
import ProcdWire
import Testing

@testable import ProcdDaemon

struct ControlConnectionTests {
    /// What the connection wrote, as reply lines.
    private func written(_ pipe: Pipe) -> [Reply] {
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 4096, alignment: 1)
        defer { buffer.deallocate() }
        guard case .bytes(let n)? = try? pipe.readEnd.read(into: buffer) else { return [] }
        return buffer.prefix(n).split(separator: UInt8(ascii: "\n")).compactMap { Reply.decode(Array($0)) }
    }

    @Test(arguments: [false, true])
    func aChangeReplyWaitsForTheTurnAndSaysWhenItWasNotSaved(unsaved: Bool) throws {
        let pipe = try Pipe(nonBlockingRead: true)
        let connection = ControlConnection(token: 1, fd: pipe.writeEnd)
        connection.expectsChange(7)
        connection.send(.success(id: 7, result: .string("started")))
        connection.send(.success(id: 8, result: .string("pong")))
        connection.flush()
        #expect(written(pipe).isEmpty, "a held reply went out before the table was written")
        let error = WireError(.notSaved, "unable to write state.json")
        connection.release(unsaved: unsaved ? error : nil)
        connection.flush()
        let replies = written(pipe)
        #expect(replies == [unsaved ? .failure(id: 7, error) : .success(id: 7, result: .string("started")),
                            .success(id: 8, result: .string("pong"))])
        connection.send(.success(id: 9, result: .null))
        connection.flush()
        #expect(written(pipe) == [.success(id: 9, result: .null)], "a reply to a query is not held")
    }
}
