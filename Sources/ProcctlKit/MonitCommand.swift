import ProcdCore
import ProcdPlatform
import ProcdWire

/// `procctl monit`: a full-screen dashboard refreshed every second. The terminal is put
/// back on every way out: q, Ctrl-C, SIGTERM, SIGHUP, or the daemon going away.
struct MonitCommand {
    let console: Console
    let client: DaemonClient

    func run() throws -> Int32 {
        guard Environment.isTerminal(Environment.standardInput), Environment.isTerminal(Environment.standardOutput) else {
            throw CommandFailure("monit needs a terminal; use 'procctl list' or 'procctl jlist' in scripts")
        }
        let signals = try SignalFD([SignalFD.windowChange, SignalFD.interrupt, SignalFD.terminate, SignalFD.hangup])
        let terminal = Terminal(fd: Environment.standardInput)
        try terminal.enterRaw()
        console.out("\u{1B}[?1049h\u{1B}[?25l")
        defer {
            console.out("\u{1B}[?25h\u{1B}[?1049l")
            terminal.restore()
        }
        let epoll = try Epoll()
        try epoll.add(Environment.standardInput, events: .readable, token: 0)
        try epoll.add(signals.fd.raw, events: .readable, token: 1)
        var screen = MonitScreen(processes: [], histories: [:], selected: 0, logLines: [], rows: 24, columns: 80,
                                 color: console.color, message: nil)
        var selectedID: Int?
        var nextRefresh = Clock.now()
        var input = [UInt8](repeating: 0, count: 256)
        while true {
            if Clock.now() >= nextRefresh {
                try refresh(&screen, selectedID: &selectedID)
                nextRefresh = Clock.now() + .seconds(1)
            }
            let size = Terminal.size(Environment.standardOutput) ?? (24, 80)
            screen.rows = size.rows
            screen.columns = size.columns
            console.out("\u{1B}[H\u{1B}[2J" + screen.render())
            for event in try epoll.wait(timeout: nextRefresh - Clock.now()) {
                if event.token == 1 {
                    for signal in signals.drain() where signal != SignalFD.windowChange { return 0 }
                    continue
                }
                let count = input.withUnsafeMutableBytes { bytes -> Int in
                    let handle = OwnedFD(adopting: Environment.standardInput)
                    defer { handle.forget() }
                    if case .bytes(let n)? = try? handle.read(into: bytes) { return n }
                    return 0
                }
                guard count > 0 else { return 0 }
                switch press(Array(input[0..<count]), &screen) {
                case .quit: return 0
                case .refresh: nextRefresh = Clock.now()
                case .none: break
                }
                if screen.processes.indices.contains(screen.selected) {
                    let id = screen.processes[screen.selected].id
                    if id != selectedID {
                        selectedID = id
                        nextRefresh = Clock.now()
                    }
                }
            }
        }
    }

    private enum Outcome { case none, quit, refresh }

    /// One key: q (or Ctrl-C, Ctrl-D) quits, j/k or the arrows select, r restarts and s
    /// stops the selected process.
    private func press(_ keys: [UInt8], _ screen: inout MonitScreen) -> Outcome {
        switch keys {
        case [UInt8(ascii: "q")], [3], [4], [UInt8(ascii: "Q")]:
            return .quit
        case [UInt8(ascii: "j")], [0x1B, UInt8(ascii: "["), UInt8(ascii: "B")]:
            screen.selected = min(screen.selected + 1, max(screen.processes.count - 1, 0))
        case [UInt8(ascii: "k")], [0x1B, UInt8(ascii: "["), UInt8(ascii: "A")]:
            screen.selected = max(screen.selected - 1, 0)
        case [UInt8(ascii: "r")], [UInt8(ascii: "s")]:
            guard screen.processes.indices.contains(screen.selected) else { return .none }
            let p = screen.processes[screen.selected]
            let restart = keys == [UInt8(ascii: "r")]
            screen.message = restart ? "restarting \(p.name) (id \(p.id))…" : "stopping \(p.name) (id \(p.id))…"
            console.out("\u{1B}[H\u{1B}[2J" + screen.render())
            do {
                _ = try client.call(restart ? .restart : .stop, ["targets": .array([.string(String(p.id))])])
                screen.message = "\(restart ? "restarted" : "stopped") \(p.name) (id \(p.id))"
            } catch {
                screen.message = "error: \(error.message)"
            }
            return .refresh
        default:
            break
        }
        return .none
    }

    private func refresh(_ screen: inout MonitScreen, selectedID: inout Int?) throws {
        let processes = (try client.call(.list).arrayValue ?? []).compactMap(ProcessSnapshot.init(json:))
        screen.processes = processes
        for p in processes { screen.histories[p.id, default: .init()].record(cpu: p.cpu, memory: p.memory) }
        let alive = Set(processes.map(\.id))
        screen.histories = screen.histories.filter { alive.contains($0.key) }
        if let selectedID, let index = processes.firstIndex(where: { $0.id == selectedID }) {
            screen.selected = index
        } else {
            screen.selected = min(screen.selected, max(processes.count - 1, 0))
        }
        selectedID = processes.indices.contains(screen.selected) ? processes[screen.selected].id : nil
        screen.logLines = []
        guard let id = selectedID else { return }
        let request = try client.send(.logs, ["targets": .array([.string(String(id))]), "lines": .int(max(screen.rows, 10))])
        while let reply = try client.readReply() {
            if case .event(let rid, let event) = reply, rid == request, let line = event["line"]?.stringValue {
                screen.logLines.append((event["stream"]?.stringValue == "err" ? "err| " : "") + line)
            } else if case .success(let rid, _) = reply, rid == request {
                break
            } else if case .failure(let rid, _) = reply, rid == request {
                break
            }
        }
    }
}
