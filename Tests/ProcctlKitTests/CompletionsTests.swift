import Foundation
import Testing

/// Each checked-in completion script loads in its real shell and completes commands,
/// options, signal names and live targets. A fake `procctl` first on PATH answers
/// `__complete` with two apps and two ids, so no daemon is needed.
@Suite(.serialized) struct CompletionsTests {
    /// (what is typed, candidates that must be offered).
    static let cases: [(line: String, expected: [String])] = [
        ("procctl sta", ["start", "status"]),
        ("procctl start --kill-s", ["--kill-signal"]),
        ("procctl start --kill-signal SIGT", ["SIGTERM", "SIGTRAP"]),
        ("procctl signal SIGU", ["SIGUSR1", "SIGUSR2"]),
        ("procctl signal SIGUSR1 ", ["web", "api", "0", "1", "all"]),
        ("procctl stop ", ["web", "api", "0", "1", "all"]),
        ("procctl ls --", ["--json", "--sort"]),
        ("procctl --conn", ["--connect-timeout"]),
        ("procctl --host h1 --keep-going sta", ["start", "status"]),
        ("procctl --connect-timeout 3 --host h1 stop ", ["web", "api", "0", "1", "all"]),
        ("procctl start --len", ["--lenient"]),
    ]

    /// A directory holding a fake `procctl` that prints live names and ids.
    static func fakeBin() throws -> URL {
        let directory = try TestSupport.temporaryDirectory()
        let script = directory.appendingPathComponent("procctl")
        try "#!/bin/sh\n[ \"$1\" = __complete ] && printf 'web\\napi\\n0\\n1\\n'\nexit 0\n"
            .write(to: script, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: script.path)
        return directory
    }

    static func environment(bin: URL, home: URL? = nil) -> [String: String] {
        var env = ProcessInfo.processInfo.environment
        env["PATH"] = bin.path + ":" + (env["PATH"] ?? "/usr/bin:/bin")
        if let home { env["HOME"] = home.path }
        return env
    }

    static func candidates(_ output: String) -> Set<String> {
        Set(output.split(separator: "\n").map { String($0.split(separator: "\t").first ?? "") })
    }

    @Test(.enabled(if: TestSupport.which("bash") != nil, "bash is not installed"))
    func bashCompletes() throws {
        let bin = try Self.fakeBin()
        defer { try? FileManager.default.removeItem(at: bin) }
        let helper = "/usr/share/bash-completion/bash_completion"
        var script = FileManager.default.fileExists(atPath: helper) ? "source \(helper)\n" : ""
        script += """
            source '\(TestSupport.path("completions/procctl.bash"))' || exit 3
            complete -p procctl >/dev/null || exit 4
            read -r -a COMP_WORDS <<< "$1"
            [[ $1 == *' ' ]] && COMP_WORDS+=("")
            COMP_CWORD=$((${#COMP_WORDS[@]} - 1)) COMP_LINE=$1 COMP_POINT=${#1}
            _procctl procctl "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
            printf '%s\\n' "${COMPREPLY[@]}"
            """
        for (line, expected) in Self.cases {
            let result = try TestSupport.run(try #require(TestSupport.which("bash")), ["-c", script, "bash", line],
                                             environment: Self.environment(bin: bin))
            #expect(result.status == 0 && result.stderr.isEmpty, "bash, '\(line)': \(result.stderr)")
            let offered = Self.candidates(result.stdout)
            #expect(Set(expected).isSubset(of: offered), "bash, '\(line)': offered \(offered.sorted())")
        }
    }

    @Test(.enabled(if: TestSupport.which("zsh") != nil, "zsh is not installed"))
    func zshParsesAndCompletes() throws {
        let zsh = try #require(TestSupport.which("zsh"))
        let file = TestSupport.path("completions/_procctl")
        let syntax = try TestSupport.run(zsh, ["-n", file])
        #expect(syntax.status == 0 && syntax.stderr.isEmpty, "zsh -n _procctl: \(syntax.stderr)")
        let bin = try Self.fakeBin()
        defer { try? FileManager.default.removeItem(at: bin) }
        let driver = bin.appendingPathComponent("drive.zsh")
        try Self.zshDriver.write(to: driver, atomically: true, encoding: .utf8)
        for (line, expected) in Self.cases {
            let result = try TestSupport.run(zsh, ["-f", driver.path, TestSupport.path("completions"), line],
                                             environment: Self.environment(bin: bin, home: bin))
            #expect(result.status == 0, "zsh, '\(line)': \(result.stderr)")
            let output = result.stdout.split(separator: "\n")
            #expect(!output.contains { !$0.hasPrefix("HIT:") }, "zsh, '\(line)' reported: \(result.stdout)")
            let offered = Set(output.filter { $0.hasPrefix("HIT:") }.map { String($0.dropFirst(4)) })
            #expect(Set(expected).isSubset(of: offered), "zsh, '\(line)': offered \(offered.sorted())")
        }
    }

    @Test(.enabled(if: TestSupport.which("fish") != nil, "fish is not installed"))
    func fishCompletes() throws {
        let fish = try #require(TestSupport.which("fish"))
        let bin = try Self.fakeBin()
        defer { try? FileManager.default.removeItem(at: bin) }
        for (line, expected) in Self.cases {
            let command = "source '\(TestSupport.path("completions/procctl.fish"))'; or exit 3; complete -C '\(line)'"
            let result = try TestSupport.run(fish, ["--no-config", "-c", command],
                                             environment: Self.environment(bin: bin, home: bin))
            #expect(result.status == 0 && result.stderr.isEmpty, "fish, '\(line)': \(result.stderr)")
            let offered = Self.candidates(result.stdout)
            #expect(Set(expected).isSubset(of: offered), "fish, '\(line)': offered \(offered.sorted())")
        }
    }

    /// Drives an interactive zsh in a pseudo-terminal (zsh/zpty): compinit with the
    /// completions directory first on $fpath, Tab after the words, and each candidate that
    /// reaches compadd printed as `HIT:candidate`. Errors from the completion system
    /// (lines mentioning _arguments, _describe or "not found") are printed as they are.
    static let zshDriver = #"""
        zmodload zsh/zpty || exit 3
        out=""
        await() {
          integer i
          local chunk
          for i in {1..200}; do
            if zpty -r -t z chunk; then out+=$chunk; else sleep 0.05; fi
            [[ $out == *$1* ]] && return 0
          done
          print -u2 "timed out waiting for $1 from the interactive zsh"
          return 1
        }
        zpty z 'zsh -f -i'
        zpty -w z "PROMPT=''; unsetopt autolist; setopt nobeep; fpath=($1 \$fpath); autoload -Uz compinit; compinit -u -D"
        zpty -w z 'compadd () { local -a h; builtin compadd -O h "$@"; (( $#h )) && print -r -l -- "" ${^h/#/HIT:} >/dev/tty; builtin compadd "$@" }'
        zpty -w z 'print __RE""ADY__'
        await __READY__ || exit 4
        zpty -w -n z "$2"$'\t'
        sleep 0.3
        zpty -w z $'\C-u''print __DO""NE__'
        await __DONE__ || exit 4
        zpty -d z
        print -r -- "$out" | tr -d '\r' | grep -E '^HIT:|_arguments|_describe|not found' | sort -u
        exit 0
        """#
}
