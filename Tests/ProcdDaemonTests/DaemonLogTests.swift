import Foundation
import ProcdCore
import ProcdPlatform
import Testing

@testable import ProcdDaemon

struct DaemonLogTests {
    /// However many lines are written, the files stay within the bound: the live one and
    /// `retain` rotated ones, each at most the maximum size.
    @Test func theLogIsBoundedByRotation() throws {
        let directory = try #require(File.makeTemporaryDirectory(prefix: "/tmp/procd-log"))
        let path = directory + "/procd.log"
        let log = DaemonLog(path: path, echo: false, maxSize: 4096)
        for i in 0..<2000 { log.warning("accept failed, attempt \(i)") }
        log.close()
        let sizes = ([path] + (1...DaemonLog.retain).map { "\(path).\($0)" }).map { File.size($0) }
        #expect(sizes.allSatisfy { ($0 ?? 0) <= 4096 && $0 != nil }, "\(sizes)")
        #expect(!File.exists("\(path).\(DaemonLog.retain + 1)"))
        let last = String(decoding: try File.read(path), as: UTF8.self)
        #expect(last.hasSuffix("attempt 1999\n"))
        try? FileManager.default.removeItem(atPath: directory)
    }
}
