import ProcdCore
import Testing

@testable import ProcdWire

@Suite struct StartBatchSplitTests {
    static func apps(_ count: Int, padding: Int = 0) -> [JSON] {
        (0..<count).map { i in
            StartBatchTests.app("app\(i)", [("PATH", "/usr/bin:/bin"), ("OWN", "\(i)" + String(repeating: "x", count: padding))])
        }
    }

    /// The request line as the client writes it.
    static func lineLength(_ args: JSONObject) -> Int {
        Request(id: 1_000_000, command: "start", args: .object(args)).json.serialized().utf8.count + 1
    }

    @Test(arguments: [
        // apps, padding of each app's own variable, limit, most apps a batch
        (1, 0, 1 << 20, 500), (10_000, 0, 1 << 20, 500), (10_000, 0, 1 << 20, 10_000),
        (300, 2000, 64 << 10, 500), (50, 0, 4096, 500), (7, 0, 1 << 20, 3),
    ])
    func everyRequestFitsAndTheAppsComeBackInOrder(count: Int, padding: Int, limit: Int, maxApps: Int) throws {
        let apps = Self.apps(count, padding: padding)
        let requests = try StartBatch.requests(apps, force: false, limit: limit, maxApps: maxApps)
        var back: [JSON] = []
        for args in requests {
            #expect(Self.lineLength(args) <= limit)
            let batch = try #require(StartBatch.apps(.object(args)))
            #expect(!batch.isEmpty && batch.count <= maxApps)
            back += batch
        }
        #expect(back == apps)
        // Batches are filled: only the last may be small enough to have taken the next app.
        #expect(requests.count <= max(1, (count + maxApps - 1) / maxApps + (count * (300 + padding)) / (limit / 2)))
    }

    @Test func anAppTooLargeAloneNamesItsLargestValueAndTheLimit() {
        var apps = Self.apps(3)
        apps[1] = StartBatchTests.app("big", [("PATH", "/usr/bin:/bin"), ("HUGE", String(repeating: "v", count: 2 << 20))])
        #expect(throws: OversizedApp(app: "big", key: "env.HUGE", bytes: (2 << 20) + 2, limit: 1 << 20)) {
            try StartBatch.requests(apps, force: false)
        }
        let args = JSON.object(["name": .string("long"), "args": .array([.string(String(repeating: "a", count: 5000))])])
        #expect(throws: OversizedApp(app: "long", key: "args", bytes: 5004, limit: 4096)) {
            try StartBatch.requests([args], force: false, limit: 4096)
        }
        let message = OversizedApp(app: "big", key: "env.HUGE", bytes: 10_485_762, limit: 1 << 20).message
        #expect(message == "app 'big': 'env.HUGE' is 10485762 bytes, and a request to procd is at most 1048576 bytes (1 MiB); "
            + "keep large data in a file and pass the app its path")
    }
}
