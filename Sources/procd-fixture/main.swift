// procd-fixture: a misbehaving program for the integration tests.
//
// It exits with a chosen code, ignores SIGTERM, floods stdout, forks a grandchild and
// prints what procd gave it (environment, cwd, process group, descriptors, ignored
// signals). Flags combine freely; they act in a fixed order: ignore signals, stamp, print,
// fork, write lines, spew, say ready, then exit or stay alive until a signal.
//
// It is a test program: it uses Glibc directly, no Foundation, so it starts in a few ms.
// Output goes straight to write(2), unbuffered, so nothing is lost when it is killed.
import Glibc

/// What the command line asked for.
struct Plan {
    var exitCode: Int32?
    var exitAfter: (milliseconds: Int, code: Int32)?
    var ignoresTerm = false
    var reportsSignals = false
    var spewBytes: Int?
    var stays = false
    var lines: Int?
    var forksGrandchild = false
    var printsEnv = false
    var printsCwd = false
    var printsPgid = false
    var printsFds = false
    var printsSigIgn = false
    var stampPath: String?
    var printsReady = false
    var printsStderr: String?
}

let usage = """
    usage: procd-fixture [flags]
      --exit CODE            exit with CODE (after the printing flags)
      --exit-after MS CODE   exit with CODE after MS milliseconds
      --ignore-term          ignore SIGTERM
      --report-signals       print 'signal NAME' on SIGUSR1, SIGUSR2 and SIGHUP
      --spew BYTES           write BYTES bytes to stdout, then exit 0 (unless --stay)
      --stay                 keep running after --spew
      --lines N              print 'line 1' ... 'line N', then keep running
      --stderr TEXT          write TEXT and a newline to stderr
      --fork-grandchild      fork a child that sleeps forever; print 'grandchild PID'
      --print-env            print every KEY=VALUE of the environment
      --print-cwd            print 'cwd PATH'
      --print-pgid           print 'pid PID pgid PGID'
      --print-fds            print 'fds 0 1 2 ...' from /proc/self/fd
      --print-sigign         print the SigIgn line of /proc/self/status
      --stamp FILE           write the wall-clock time in nanoseconds to FILE
      --ready-line           print 'ready'
      --sleep                stay alive until a signal (the default)

    """

/// Writes every byte of `text` to `fd`, retrying short writes and EINTR.
func writeAll(_ fd: Int32, _ text: String) {
    var bytes = Array(text.utf8)
    writeAll(fd, &bytes)
}

func writeAll(_ fd: Int32, _ bytes: inout [UInt8]) {
    var offset = 0
    while offset < bytes.count {
        let n = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + offset, $0.count - offset) }
        if n < 0 {
            if errno == EINTR { continue }
            exit(111)
        }
        offset += n
    }
}

func fail(_ message: String) -> Never {
    writeAll(2, "procd-fixture: \(message)\n" + usage)
    exit(64)
}

func parse(_ arguments: [String]) -> Plan {
    var plan = Plan()
    var i = 1
    func next(_ flag: String) -> String {
        i += 1
        guard i < arguments.count else { fail("\(flag) needs a value") }
        return arguments[i]
    }
    func number(_ flag: String) -> Int {
        let text = next(flag)
        guard let value = Int(text) else { fail("\(flag) expects a number, got '\(text)'") }
        return value
    }
    while i < arguments.count {
        let flag = arguments[i]
        switch flag {
        case "--exit": plan.exitCode = Int32(truncatingIfNeeded: number(flag))
        case "--exit-after":
            let milliseconds = number(flag)
            plan.exitAfter = (milliseconds, Int32(truncatingIfNeeded: number(flag)))
        case "--ignore-term": plan.ignoresTerm = true
        case "--report-signals": plan.reportsSignals = true
        case "--spew": plan.spewBytes = number(flag)
        case "--stay": plan.stays = true
        case "--lines": plan.lines = number(flag)
        case "--stderr": plan.printsStderr = next(flag)
        case "--fork-grandchild": plan.forksGrandchild = true
        case "--print-env": plan.printsEnv = true
        case "--print-cwd": plan.printsCwd = true
        case "--print-pgid": plan.printsPgid = true
        case "--print-fds": plan.printsFds = true
        case "--print-sigign": plan.printsSigIgn = true
        case "--stamp": plan.stampPath = next(flag)
        case "--ready-line": plan.printsReady = true
        case "--sleep": break
        case "-h", "--help":
            writeAll(1, usage)
            exit(0)
        default: fail("unknown flag '\(flag)'")
        }
        i += 1
    }
    return plan
}

/// Descriptors open in this process, without the one used to read the directory.
func openDescriptors() -> [Int32] {
    guard let directory = opendir("/proc/self/fd") else { return [] }
    defer { closedir(directory) }
    let own = dirfd(directory)
    var fds: [Int32] = []
    while let entry = readdir(directory) {
        let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
            String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
        }
        if let fd = Int32(name), fd != own { fds.append(fd) }
    }
    return fds.sorted()
}

/// The `SigIgn:` line of /proc/self/status, or an empty string.
func ignoredSignalsLine() -> String {
    let fd = open("/proc/self/status", O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { return "" }
    defer { close(fd) }
    var contents: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 4096)
    while true {
        let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress!, $0.count) }
        if n < 0 && errno == EINTR { continue }
        if n <= 0 { break }
        contents += buffer[0..<n]
    }
    let text = String(decoding: contents, as: UTF8.self)
    return text.split(separator: "\n").first { $0.hasPrefix("SigIgn:") }.map(String.init) ?? ""
}

func sleepMilliseconds(_ milliseconds: Int) {
    var request = timespec(tv_sec: milliseconds / 1000, tv_nsec: (milliseconds % 1000) * 1_000_000)
    var remaining = timespec()
    while nanosleep(&request, &remaining) != 0 && errno == EINTR { request = remaining }
}

/// Waits for signals forever; a signal with a default action ends the process.
func stayAlive() -> Never {
    while true { pause() }
}

/// Writes a fixed message from a signal handler: only write(2), which is async-signal-safe.
func reportSignal(_ signal: Int32) {
    let message: StaticString
    switch signal {
    case SIGUSR1: message = "signal SIGUSR1\n"
    case SIGUSR2: message = "signal SIGUSR2\n"
    case SIGHUP: message = "signal SIGHUP\n"
    default: message = "signal other\n"
    }
    let saved = errno
    _ = write(1, message.utf8Start, message.utf8CodeUnitCount)
    errno = saved
}

let plan = parse(CommandLine.arguments)

if plan.ignoresTerm { signal(SIGTERM, SIG_IGN) }
if plan.reportsSignals {
    for number in [SIGUSR1, SIGUSR2, SIGHUP] { signal(number) { reportSignal($0) } }
}
if let path = plan.stampPath {
    var now = timespec()
    clock_gettime(CLOCK_REALTIME, &now)
    let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
    if fd < 0 { fail("unable to open \(path): \(String(cString: strerror(errno)))") }
    writeAll(fd, String(Int64(now.tv_sec) * 1_000_000_000 + Int64(now.tv_nsec)) + "\n")
    close(fd)
}
if plan.printsEnv {
    var text = ""
    var pointer = environ
    while let entry = pointer.pointee {
        text += String(cString: entry) + "\n"
        pointer += 1
    }
    writeAll(1, text)
}
if plan.printsCwd {
    var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
    let cwd = getcwd(&buffer, buffer.count).map { String(cString: $0) } ?? "?"
    writeAll(1, "cwd \(cwd)\n")
}
if plan.printsPgid { writeAll(1, "pid \(getpid()) pgid \(getpgrp())\n") }
if plan.printsFds { writeAll(1, "fds " + openDescriptors().map(String.init).joined(separator: " ") + "\n") }
if plan.printsSigIgn { writeAll(1, ignoredSignalsLine() + "\n") }
if let text = plan.printsStderr { writeAll(2, text + "\n") }
if plan.forksGrandchild {
    let child = fork()
    if child == 0 { stayAlive() }           // same process group as its parent
    if child < 0 { fail("fork: \(String(cString: strerror(errno)))") }
    writeAll(1, "grandchild \(child)\n")
}
if let count = plan.lines {
    var text = ""
    for n in stride(from: 1, through: count, by: 1) { text += "line \(n)\n" }
    writeAll(1, text)
}
if let total = plan.spewBytes {
    var chunk = [UInt8](repeating: UInt8(ascii: "x"), count: 65_536)
    for i in stride(from: 1023, to: chunk.count, by: 1024) { chunk[i] = UInt8(ascii: "\n") }
    var left = total
    while left > 0 {
        if left < chunk.count { chunk = Array(chunk[0..<left]) }
        writeAll(1, &chunk)
        left -= chunk.count
    }
}
if plan.printsReady { writeAll(1, "ready\n") }

if let code = plan.exitCode { exit(code) }
if let (milliseconds, code) = plan.exitAfter {
    sleepMilliseconds(milliseconds)
    exit(code)
}
if plan.spewBytes != nil && !plan.stays { exit(0) }
stayAlive()
