import ProcdCore
import ProcdPlatform
import ProcdWire

extension Daemon {
    /// The slot whose process sent a message: the sender itself or one of its ancestors
    /// (a server may notify from a worker it forked). Retired processes are not slots.
    func slot(forSender pid: Int32) -> ManagedProcess? {
        var current = pid
        for _ in 0..<64 {
            if let process = table.process(pid: current) { return process }
            if retirees.contains(current) { return nil }
            guard current > 1, let stat = ProcFS.stat(current), stat.ppid > 1 else { return nil }
            current = stat.ppid
        }
        return nil
    }

    /// sd_notify datagrams: READY=1, STOPPING=1, STATUS=…, WATCHDOG=1 (sd_notify(3)).
    func receiveNotifications() {
        for _ in 0..<64 {
            guard let (text, pid) = Sockets.receiveNotification(startup.notifySocket) else { return }
            guard pid > 0, let process = slot(forSender: pid) else { continue }
            for line in text.split(separator: "\n") {
                switch line {
                case "READY=1":
                    if process.lifecycle.status == .launching { log.info("\(process.label): ready (READY=1)") }
                    apply(.ready, to: process)
                case "STOPPING=1":
                    if process.lifecycle.status == .online || process.lifecycle.status == .launching {
                        apply(.exiting, to: process)
                    }
                case "WATCHDOG=1", "WATCHDOG=trigger":
                    health.watchdogPing(process, trigger: line == "WATCHDOG=trigger")
                case _ where line.hasPrefix("STATUS="):
                    process.statusText = String(line.dropFirst(7))
                    state.markChanged()
                default:
                    break
                }
            }
        }
    }

    func openChannel(_ fd: OwnedFD, for process: ManagedProcess) {
        let channel = IPCChannel(token: makeToken(), processID: process.id, fd: fd)
        guard watchChannel(channel) else {
            fd.close()
            return
        }
        process.channel = channel
        keeper?.hold("i\(channel.token)", fd, meta: .object(["process": .int(process.id)]))
    }

    /// Watches a channel's socket; false (and a warning) when it cannot be watched.
    func watchChannel(_ channel: IPCChannel) -> Bool {
        do {
            try loop.watch(channel.fd.raw, [.readable, .peerClosed], token: channel.token) { [weak self, channel] events in
                guard let self else { return }
                self.serviceChannel(channel, events: events)
            }
            return true
        } catch {
            log.warning("process \(channel.processID): cannot watch its IPC channel: \(error)")
            return false
        }
    }

    /// Reads a Node app's messages: 'ready' and 'shutdown' drive the lifecycle; anything
    /// else is kept as the last message and logged. Node's own NODE_* messages are ignored.
    func serviceChannel(_ channel: IPCChannel, events: Epoll.Events) {
        if events.contains(.writable) { channel.flush() }
        if events.contains(.readable) || events.contains(.hangup) || events.contains(.peerClosed) {
            let end = loop.read(channel.fd, upTo: 16) { bytes in
                for item in channel.framer.append(bytes) {
                    if case .line(let line) = item { handleMessage(line, from: channel) }
                }
            }
            switch end {
            case .failed, .endOfFile: channel.isClosed = true
            case .drained, .budgetSpent: break
            }
        }
        if channel.isClosed {
            closeChannel(channel)
        } else {
            updateInterest(channel)
        }
    }

    func closeChannel(_ channel: IPCChannel) {
        dealer.channelClosed(channel.token)
        keeper?.drop("i\(channel.token)")
        loop.unwatch(channel.fd.raw, token: channel.token)
        channel.fd.close()
        if let process = table.process(channel.processID), process.channel === channel { process.channel = nil }
    }

    private func handleMessage(_ line: [UInt8], from channel: IPCChannel) {
        guard let message = try? JSONParser.parse(bytes: line) else { return }
        if let cmd = message["cmd"]?.stringValue, cmd.hasPrefix("NODE_") {
            clusterMessage(cmd, message, from: channel)
            return
        }
        // Only the slot's current process drives its lifecycle; a retiree's words are logged.
        guard let process = table.process(channel.processID), process.channel === channel else { return }
        switch message {
        case .string("ready"):
            if process.lifecycle.status == .launching { log.info("\(process.label): ready (process.send('ready'))") }
            apply(.ready, to: process)
        case .string("shutdown"):
            apply(.exiting, to: process)
        default:
            process.lastMessage = message
            let text = message.serialized()
            log.info("\(process.label): message: \(text.count > 512 ? String(text.prefix(512)) + "…" : text)")
            state.markChanged()
        }
    }
}
