import CProcdLinux
import ProcdCore
import ProcdPlatform
import ProcdWire

/// Options before the command: `--host` (repeatable; else `$PROCD_HOST`), `--parallel N`,
/// `--keep-going`, `--connect-timeout SECONDS`.
struct GlobalOptions {
    var hosts: [RemoteHost] = []
    var parallel = 1
    var keepGoing = false
    /// How long ssh may take to reach a host, and to notice that one stopped answering.
    var connectTimeout = SSHTransport.defaultTimeout
    /// The command and its own arguments.
    var words: [String] = []

    static func parse(_ arguments: [String]) throws(UsageError) -> GlobalOptions {
        var options = GlobalOptions()
        var i = 0
        func value(_ flag: String) throws(UsageError) -> String {
            if let eq = arguments[i].firstIndex(of: "=") { return String(arguments[i][arguments[i].index(after: eq)...]) }
            i += 1
            guard i < arguments.count else { throw UsageError("\(flag) needs a value") }
            return arguments[i]
        }
        while i < arguments.count {
            let word = arguments[i]
            if word == "--host" || word.hasPrefix("--host=") || word == "-H" {
                let text = try value("--host")
                guard let host = RemoteHost.parse(text) else { throw UsageError("--host expects [USER@]HOST[:PORT], got '\(text)'") }
                options.hosts.append(host)
            } else if word == "--parallel" || word.hasPrefix("--parallel=") {
                let text = try value("--parallel")
                guard let n = Int(text), n >= 1 else { throw UsageError("--parallel expects a whole number of at least 1, got '\(text)'") }
                options.parallel = n
            } else if word == "--connect-timeout" || word.hasPrefix("--connect-timeout=") {
                let text = try value("--connect-timeout")
                guard let n = Int(text), (1...3600).contains(n) else {
                    throw UsageError("--connect-timeout expects seconds from 1 to 3600, got '\(text)'")
                }
                options.connectTimeout = n
            } else if word == "--keep-going" {
                options.keepGoing = true
            } else {
                break
            }
            i += 1
        }
        options.words = Array(arguments[i...])
        if options.hosts.isEmpty, let text = Environment.get("PROCD_HOST"), !text.isEmpty {
            guard let hosts = RemoteHost.list(text) else { throw UsageError("PROCD_HOST expects [USER@]HOST[:PORT],… got '\(text)'") }
            options.hosts = hosts
        }
        return options
    }
}

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
        let env = Environment.all().filter { $0.key != "PROCD_HOST" }.map { "\($0.key)=\($0.value)" }
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
            var exited: Int32 = 0, code: Int32 = 0, signal: Int32 = 0
            _ = procd_wait_pid(entry.pid, &exited, &code, &signal)
            return Outcome(code: exited != 0 ? code : 1, stdout: (try? File.read(entry.out)) ?? [], stderr: (try? File.read(entry.err)) ?? [])
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
