import Glibc
import Testing

@testable import ProcdPlatform

/// The write, read and accept wrappers under the errors the kernel can give them, driven
/// through the fault-injection seam: what each retries, what it reports as a value, and
/// what it throws with the call and the errno.
struct FaultInjectionTests {
    /// A pipe whose ends are cleared of plans when the test ends.
    private func withPipe(_ body: (Pipe) throws -> Void) throws {
        let pipe = try Pipe(nonBlockingRead: true)
        defer {
            FaultInjection.clear(pipe.readEnd.raw)
            FaultInjection.clear(pipe.writeEnd.raw)
        }
        try body(pipe)
    }

    private func read(_ fd: OwnedFD) throws -> String {
        var buffer = [UInt8](repeating: 0, count: 64)
        let result = try buffer.withUnsafeMutableBytes { try fd.read(into: $0) }
        guard case .bytes(let n) = result else { return "\(result)" }
        return String(decoding: buffer.prefix(n), as: UTF8.self)
    }

    @Test func writeRetriesAfterEINTRAndWritesEveryByte() throws {
        try withPipe { pipe in
            FaultInjection.fail(pipe.writeEnd.raw, .write, with: [EINTR, EINTR, EINTR])
            try pipe.writeEnd.writeAll("after three interruptions")
            #expect(try read(pipe.readEnd) == "after three interruptions")
        }
    }

    @Test func writeReportsEAGAINAsWouldBlockAndThenWrites() throws {
        try withPipe { pipe in
            FaultInjection.fail(pipe.writeEnd.raw, .write, with: [EAGAIN])
            let bytes: [UInt8] = Array("x".utf8)
            let first = try bytes.withUnsafeBytes { try pipe.writeEnd.write($0) }
            let second = try bytes.withUnsafeBytes { try pipe.writeEnd.write($0) }
            #expect(first == .wouldBlock && second == .bytes(1))
        }
    }

    /// writeAll on a descriptor that cannot take more is an error, not a silent loop.
    @Test(arguments: [ENOSPC, EAGAIN, EPIPE])
    func writeAllThrowsWithTheCallAndTheErrno(code: Int32) throws {
        try withPipe { pipe in
            FaultInjection.fail(pipe.writeEnd.raw, .write, with: [code])
            #expect(throws: SystemError(call: "write", code: code)) { try pipe.writeEnd.writeAll("lost") }
            try pipe.writeEnd.writeAll("kept")
            #expect(try read(pipe.readEnd) == "kept", "a failed write must not leave part of its bytes")
        }
    }

    @Test func readRetriesAfterEINTRAndReportsEAGAIN() throws {
        try withPipe { pipe in
            try pipe.writeEnd.writeAll("data")
            FaultInjection.fail(pipe.readEnd.raw, .read, with: [EINTR, EAGAIN])
            var buffer = [UInt8](repeating: 0, count: 8)
            let first = try buffer.withUnsafeMutableBytes { try pipe.readEnd.read(into: $0) }
            #expect(first == .wouldBlock)
            #expect(try read(pipe.readEnd) == "data")
        }
    }

    /// EINTR is retried; EAGAIN and ECONNABORTED mean nobody is waiting; running out of
    /// descriptors (EMFILE, ENFILE) or memory is thrown, for the caller to pause on.
    @Test(arguments: [(EINTR, "taken"), (EAGAIN, "none"), (ECONNABORTED, "none"), (EMFILE, "EMFILE"), (ENFILE, "ENFILE"),
                      (ENOMEM, "ENOMEM")])
    func acceptSortsItsErrors(code: Int32, expected: String) throws {
        // A loopback connection is queued as soon as connect(2) is called.
        let listener = try Sockets.listenTCP(host: "127.0.0.1", port: 0)
        let client = try Sockets.connectTCP(host: "127.0.0.1", port: Sockets.port(of: listener) ?? 0)
        defer {
            FaultInjection.clear(listener.raw)
            client.close()
        }
        FaultInjection.fail(listener.raw, .accept, with: [code])
        let outcome: String
        do {
            outcome = try UnixSocket.accept(listener) == nil ? "none" : "taken"
        } catch {
            #expect(error.call == "accept4")
            outcome = [EMFILE: "EMFILE", ENFILE: "ENFILE", ENOMEM: "ENOMEM"][error.code] ?? "\(error)"
        }
        #expect(outcome == expected)
        if expected != "taken" {
            #expect(try UnixSocket.accept(listener) != nil, "the connection is still there to accept")
        }
    }

    /// A plan belongs to its descriptor: another descriptor's calls reach the kernel.
    @Test func aPlanTouchesOnlyItsDescriptor() throws {
        try withPipe { planned in
            try withPipe { other in
                FaultInjection.fail(planned.writeEnd.raw, .write, with: [ENOSPC])
                try other.writeEnd.writeAll("free")
                #expect(try read(other.readEnd) == "free")
                #expect(throws: SystemError(call: "write", code: ENOSPC)) { try planned.writeEnd.writeAll("x") }
            }
        }
    }
}
