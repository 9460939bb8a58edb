import Testing

@testable import ProcdCore

@Suite struct ProcdHomeTests {
    @Test(arguments: [
        (String?("/tmp/ph"), "/home/ana", "/tmp/ph"), (nil, "/home/ana", "/home/ana/.procd"),
        ("", "/home/ana", "/home/ana/.procd"), (nil, "/home/ana/", "/home/ana/.procd"), (nil, "/", "/.procd"),
    ])
    func resolvesProcdHomeOrTheDefault(_ environment: String?, _ home: String, _ root: String) {
        #expect(ProcdHome.resolve(environment: environment, home: home).root == root)
    }

    @Test func namesItsFiles() {
        let home = ProcdHome(root: "/h")
        #expect(home.socket == "/h/procd.sock")
        #expect(home.pidFile == "/h/procd.pid")
        #expect(home.daemonLog == "/h/procd.log")
        #expect(home.stateFile == "/h/state.json")
        #expect(home.dumpFile == "/h/dump.json")
        #expect(home.logs == "/h/logs")
        #expect(home.logFile(app: "web", stream: "out", instance: nil) == "/h/logs/web-out.log")
        #expect(home.logFile(app: "web", stream: "err", instance: 2) == "/h/logs/web-err-2.log")
    }
}
