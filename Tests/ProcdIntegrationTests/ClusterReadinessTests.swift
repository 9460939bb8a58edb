import Foundation
import Testing

/// Readiness (`--wait-ready` with sd_notify or Node's process.send), STOPPING=1, and
/// messages both ways on a Node app's IPC channel.
@Suite(.serialized, .timeLimit(.minutes(1)))
struct ClusterReadinessTests {
    @Test func readyOneOnNotifySocketMakesStartReturnOnline() throws {
        try withSandbox { sandbox in
            let script = try sandbox.write("ready.py", ClusterApps.notifyFunction + """
                time.sleep(0.4)
                notify("READY=1")
                print("sent READY=1 via %s" % os.environ["NOTIFY_SOCKET"][:1], flush=True)
                while True:
                    time.sleep(1)

                """)
            let clock = ContinuousClock()
            let began = clock.now
            let result = sandbox.procctl("start", script, "--name", "rdy", "--wait-ready")
            let took = clock.now - began
            #expect(result.status == 0, "\(result)")
            #expect(result.stdout.contains("online"), "\(result)")
            // Right when start returns, without waiting: online already.
            let now = try #require(try sandbox.processes(named: "rdy").first)
            #expect(now.status == "online", "status \(now.status) right after start\n\(sandbox.outLog("rdy"))")
            #expect(took >= .milliseconds(400), "start returned after \(took), before the app said READY=1")
            #expect(sandbox.outLog("rdy").contains("sent READY=1"), "\(sandbox.outLog("rdy"))")
        }
    }

    @Test func appThatNeverSaysReadyDoesNotEndOnline() throws {
        try withSandbox { sandbox in
            let script = try sandbox.write("mute.py", "import os, time\nprint('up', os.getpid(), flush=True)\nwhile True:\n    time.sleep(1)\n")
            let result = sandbox.procctl("start", script, "--name", "mute", "--wait-ready", "--listen-timeout", "500",
                                         "--max-restarts", "1", "--kill-timeout", "500")
            #expect(result.status == 1, "a start that never became ready: \(result)")
            var statuses: [String] = []
            var last: ListedProcess?
            let settled = try sandbox.waitUntil(timeout: .seconds(15)) {
                last = try sandbox.processes(named: "mute").first
                if let status = last?.status, statuses.last != status { statuses.append(status) }
                return last?.status == "errored"
            }
            #expect(settled, "never errored; statuses seen: \(statuses)\n\(sandbox.diagnostics)")
            #expect(!statuses.contains("online"), "statuses seen: \(statuses)")
            #expect((last?.restarts ?? 0) >= 1, "the failed start was not retried")
            #expect(last?.pid == nil)
            let attempts = sandbox.outLog("mute").split(separator: "\n").compactMap { Int32($0.split(separator: " ").last ?? "") }
            #expect(attempts.count >= 2, "\(attempts)")
            #expect(attempts.allSatisfy { !ProcessProbe.isAlive($0) }, "an attempt still runs: \(attempts)")
            #expect(sandbox.daemonLog.contains("listen_timeout"), "\(sandbox.diagnostics)")
        }
    }

    @Test func nodeProcessSendReadyComesOnline() throws {
        try withSandbox { sandbox in
            let script = try sandbox.write("nready.js", """
                setTimeout(() => { process.send('ready'); console.log('said ready'); }, 300);
                setInterval(() => {}, 1000);

                """)
            let result = sandbox.procctl("start", script, "--wait-ready", "--listen-timeout", "10000")
            #expect(result.status == 0, "\(result)")
            let now = try #require(try sandbox.processes(named: "nready").first)
            #expect(now.status == "online", "status \(now.status) right after start")
            try sandbox.waitForOutput("nready", containing: "said ready")
            #expect(sandbox.daemonLog.contains("process.send('ready')"), "\(sandbox.diagnostics)")
        }
    }

    @Test func stoppingOneStartsTheReplacementBeforeTheOldProcessExits() throws {
        // The first generation, on `go`, says STOPPING=1 and then waits (up to 5 s) for its
        // replacement to show up before exiting; the replacement announces itself in a file.
        try withSandbox { sandbox in
            let script = try sandbox.write("phoenix.py", ClusterApps.notifyFunction + """
                pid = os.getpid()
                open("gen-%d" % pid, "w").close()
                print("started %d" % pid, flush=True)
                notify("READY=1")
                while not os.path.exists("go"):
                    time.sleep(0.02)
                os.remove("go")
                signal.signal(signal.SIGTERM, signal.SIG_IGN)
                notify("STOPPING=1")
                deadline = time.time() + 5
                others = []
                while time.time() < deadline and not others:
                    others = [f for f in os.listdir(".") if f.startswith("gen-") and f != "gen-%d" % pid]
                    time.sleep(0.01)
                print("old %d saw replacement %s" % (pid, others), flush=True)

                """)
            let result = sandbox.procctl("start", script, "--name", "phx", "--wait-ready")
            #expect(result.status == 0, "\(result)")
            let old = try #require(try sandbox.waitForStatus("phx", "online").first)
            let oldPid = try #require(old.pid)
            sandbox.track(oldPid)
            try sandbox.write("go", "1")
            var current: ListedProcess?
            let replaced = try sandbox.waitUntil(timeout: .seconds(10)) {
                current = try sandbox.processes(named: "phx").first
                return current?.status == "online" && current?.pid != nil && current?.pid != oldPid
            }
            #expect(replaced, "no replacement; last \(current?.status ?? "-")\n\(sandbox.outLog("phx"))\n\(sandbox.diagnostics)")
            let newPid = try #require(current?.pid)
            let log = try sandbox.waitForOutput("phx", containing: "old \(oldPid) saw replacement")
            #expect(log.contains("old \(oldPid) saw replacement ['gen-\(newPid)']"),
                    "the old process exited before its replacement started:\n\(log)")
            #expect(sandbox.waitUntil { !ProcessProbe.isAlive(oldPid) }, "the old process never ended")
            #expect(current?.id == old.id && (current?.restarts ?? 0) >= 1)
        }
    }

    @Test func sendReachesANodeAppAndItsOwnMessageShowsInDescribe() throws {
        try withSandbox { sandbox in
            let script = try sandbox.write("chat.js", """
                process.on('message', (m) => console.log('got ' + JSON.stringify(m)));
                process.send({ hello: 'world', n: 42 });
                console.log('listening');
                setInterval(() => {}, 1000);

                """)
            #expect(sandbox.procctl("start", script).status == 0)
            try sandbox.waitForStatus("chat", "online")
            try sandbox.waitForOutput("chat", containing: "listening")

            let sent = sandbox.procctl("send", "chat", #"{"x":1}"#)
            #expect(sent.status == 0, "\(sent)")
            try sandbox.waitForOutput("chat", containing: #"got {"x":1}"#, timeout: .seconds(5))

            var message: [String: Any]?
            let shown = try sandbox.waitUntil(timeout: .seconds(5)) {
                let describe = sandbox.procctl("describe", "chat", "--json")
                guard describe.status == 0 else { throw SandboxError("describe failed: \(describe)") }
                let parsed = try JSONSerialization.jsonObject(with: Data(describe.stdout.utf8))
                let object = (parsed as? [[String: Any]])?.first ?? parsed as? [String: Any]
                message = object?["last_message"] as? [String: Any]
                return message != nil
            }
            #expect(shown, "describe --json has no last_message")
            #expect(message?["hello"] as? String == "world" && message?["n"] as? Int == 42, "\(message ?? [:])")
        }
    }

    @Test func sendToANonNodeAppSaysItHasNoChannel() throws {
        try withSandbox { sandbox in
            #expect(sandbox.startFixture("plain", []).status == 0)
            try sandbox.waitForStatus("plain", "online")
            let sent = sandbox.procctl("send", "plain", #"{"x":1}"#)
            #expect(sent.status == 1 && (sent.stdout + sent.stderr).contains("no IPC channel"), "\(sent)")
            let bad = sandbox.procctl("send", "plain", "not json")
            #expect(bad.status == 2 && bad.stderr.contains("not valid JSON"), "\(bad)")
        }
    }
}
