import ProcdCore
import ProcdPlatform
import ProcdWire

/// A command against several hosts: `list` gathers one table with a host column; an action
/// runs on one host at a time by default (a rolling restart), stopping at the first failure
/// unless `--keep-going`. Each host's run is this procctl with one `--host`.
struct MultiHost {
    let console: Console
    let global: GlobalOptions

    static let listing: Set<String> = ["list", "ls", "status", "jlist", "prettylist"]
    static let streaming: Set<String> = ["logs", "events", "monit", "bridge"]

    func run() -> Int32 {
        let command = global.words.first ?? "help"
        let follows = command != "logs" || global.words.contains("-f") || global.words.contains("--follow")
        if Self.streaming.contains(command) && follows {
            console.error("'\(command)' follows one host at a time; give one --host")
            return 2
        }
        if Self.listing.contains(command) { return list(command) }
        var status: Int32 = 0
        var index = 0
        while index < global.hosts.count {
            let batch = Array(global.hosts[index..<min(index + global.parallel, global.hosts.count)])
            index += batch.count
            for (host, outcome) in zip(batch, runAll(batch, global.words)) {
                prefixed(outcome.stdout, host: host, to: Environment.standardOutput)
                prefixed(outcome.stderr, host: host, to: Environment.standardError)
                if outcome.code != 0 && status == 0 { status = outcome.code }
            }
            if status != 0 && !global.keepGoing {
                let left = global.hosts.dropFirst(index).map(\.description)
                if !left.isEmpty { console.error("stopped after a failure; not run on \(left.joined(separator: ", ")) (--keep-going runs on every host)") }
                return status
            }
        }
        return status
    }

    /// One table (or one JSON array) of every host's processes, each with its `host`.
    private func list(_ command: String) -> Int32 {
        let json = command == "jlist" || command == "prettylist" || global.words.contains("--json")
        var items: [JSON] = []
        var status: Int32 = 0
        var index = 0
        while index < global.hosts.count {
            let batch = Array(global.hosts[index..<min(index + max(global.parallel, 4), global.hosts.count)])
            index += batch.count
            for (host, outcome) in zip(batch, runAll(batch, ["jlist"])) {
                guard outcome.code == 0, let parsed = try? JSONParser.parse(bytes: outcome.stdout) else {
                    prefixed(outcome.stderr.isEmpty ? Array("procctl: error: no answer\n".utf8) : outcome.stderr, host: host, to: Environment.standardError)
                    status = 1
                    continue
                }
                for case .object(var object) in parsed.arrayValue ?? [] {
                    object["host"] = .string(host.description)
                    items.append(.object(object))
                }
            }
        }
        if command == "prettylist" {
            console.out(JSON.array(items).serialized(pretty: true) + "\n")
            return status
        }
        let sortIndex = global.words.firstIndex(of: "--sort")
        let sort = sortIndex.flatMap { $0 + 1 < global.words.count ? global.words[$0 + 1] : nil }
        do {
            _ = try Views(console: console).list(.array(items), json: json, sort: sort)
        } catch {
            console.error(error.message)
            return 2
        }
        return status
    }

    struct Outcome {
        var code: Int32
        var stdout: [UInt8]
        var stderr: [UInt8]
    }

    /// Runs this procctl once per host at the same time, outputs in files; waits for all.
    private func runAll(_ hosts: [RemoteHost], _ words: [String]) -> [Outcome] {
        guard let me = Environment.executablePath, let dir = File.makeTemporaryDirectory(prefix: "/tmp/procctl-hosts-") else {
            return hosts.map { _ in Outcome(code: 1, stdout: [], stderr: Array("procctl: error: cannot run procctl for each host\n".utf8)) }
        }
        defer {
            for name in File.list(dir) { try? File.remove(dir + "/" + name) }
            try? File.remove(dir)
        }
        var running: [(pid: Int32, out: String, err: String)?] = []
        let env = Environment.all().filter { $0.key != EnvironmentName.host }.map { "\($0.key)=\($0.value)" }
        for (i, host) in hosts.enumerated() {
            let out = "\(dir)/\(i).out", err = "\(dir)/\(i).err"
            guard let outFD = try? File.open(out, flags: File.writeCreateTruncate, mode: 0o600),
                  let errFD = try? File.open(err, flags: File.writeCreateTruncate, mode: 0o600),
                  let null = try? File.openNull(),
                  // argv[0] "procctl": when procctl is the packages' link to procd, the
                  // executable's own path names procd, which picks its part by that name.
                  let pid = try? Spawn.spawn(Spawn.Request(path: me, argv: ["procctl", "--host", host.description,
                                                                            "--connect-timeout", String(global.connectTimeout)] + words, env: env,
                                                           cwd: File.currentDirectory(), descriptors: [null.raw, outFD.raw, errFD.raw]))
            else {
                running.append(nil)
                continue
            }
            running.append((pid, out, err))
        }
        return running.map { entry in
            guard let entry else { return Outcome(code: 1, stdout: [], stderr: Array("procctl: error: cannot start procctl\n".utf8)) }
            let code: Int32 = if case .code(let code) = Processes.wait(for: entry.pid) { code } else { 1 }
            return Outcome(code: code, stdout: (try? File.read(entry.out)) ?? [], stderr: (try? File.read(entry.err)) ?? [])
        }
    }

    /// Each line as `HOST: line`.
    private func prefixed(_ bytes: [UInt8], host: RemoteHost, to fd: Int32) {
        guard !bytes.isEmpty else { return }
        var text = ""
        for line in String(decoding: bytes, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).dropLast(bytes.last == UInt8(ascii: "\n") ? 1 : 0) {
            text += "\(host): \(line)\n"
        }
        Environment.write(text, to: fd)
    }
}
