/// How an app's processes run: namespace, instances' variable, exec mode, balance, ports;
/// and the user and group they run as.
extension AppAttributes {
    static let running: [AppAttribute] = [
        AppAttribute("namespace", type: .text, flag: .value("namespace", "NAME", "group apps under a namespace (default: 'default')"),
                     group: .running, label: "namespace", display: .withTheProcess, summary: "a group of apps that commands can target together",
                     example: "web", read: { input, spec throws(AttributeError) in spec.namespace = try input.nonEmptyText("the namespace") },
                     write: { .string($0.namespace) }),
        AppAttribute("instance_var", type: .text, flag: .value("instance-var", "NAME", "also give the instance number in variable NAME"),
                     group: .running, label: "instance variable", summary: "a variable given the instance number besides NODE_APP_INSTANCE",
                     example: "INSTANCE_ID", read: { input, spec throws(AttributeError) in
                         let name = try input.text()
                         guard !name.isEmpty, !name.contains("="), !name.contains("\0") else { throw AttributeError("expected a variable name, got '\(name)'") }
                         spec.instanceVar = name
                     }, write: { $0.instanceVar.map(JSON.string) }),
        AppAttribute("exec_mode", type: .text,
                     flag: .value("exec-mode", "MODE", "cluster: a Node app's instances share the ports they listen on, through one socket procd holds (the default for Node with -i above 1); fork: each process on its own"),
                     group: .running, label: "exec mode", summary: "fork, or cluster: a Node app's instances share the ports they listen on",
                     example: "cluster", read: { input, spec throws(AttributeError) in
                         let text = try input.text()
                         guard let mode = ExecMode.parse(text) else { throw AttributeError("expected fork or cluster, got '\(text)'") }
                         spec.execMode = mode
                     }, write: { $0.execMode.map { .string($0.rawValue) } }),
        AppAttribute("balance", type: .text,
                     flag: .value("balance", "MODE", "cluster mode: how connections reach instances: round-robin (default: procd deals each to the next), least-connections (to the one with fewest open), shared (each accepts itself)"),
                     group: .running, label: "balance", summary: "cluster mode: round-robin, least-connections or shared",
                     example: "least-connections", read: { input, spec throws(AttributeError) in
                         let text = try input.text()
                         guard let balance = Balance.parse(text) else { throw AttributeError(Balance.expectation(text)) }
                         spec.balance = balance
                     }, write: { $0.balance.map { .string($0.rawValue) } }),
        AppAttribute("listen", type: .list,
                     flag: .value("port", short: "p", "[HOST:]PORT", "listen on PORT in the daemon and pass the socket to every instance (socket activation; repeatable)",
                                  repeatable: true, completion: .number),
                     group: .readiness, label: "listen", display: .withTheProcess, summary: "addresses procd listens on and passes to every instance",
                     example: ["127.0.0.1:8080"], read: { input, spec throws(AttributeError) in
                         // Added to what is there: `--port` adds to a config file's ports.
                         for item in input.value.arrayValue ?? [input.value] {
                             let text = item.stringValue ?? item.intValue.map(String.init) ?? ""
                             guard let address = ListenAddress.parse(text) else {
                                 throw AttributeError("expected PORT or HOST:PORT, got \(item.serialized())")
                             }
                             if !spec.listen.contains(address) { spec.listen.append(address) }
                         }
                     }, write: { $0.listen.isEmpty ? nil : .array($0.listen.map { .string($0.description) }) }),
    ]

    static let identity: [AppAttribute] = [
        AppAttribute("uid", type: .text, flag: .value("user", "USER", "run as this user, with its groups (procd must run as root)"),
                     group: .identity, label: "user", summary: "run as this user, with its groups (procd must run as root)",
                     exportNote: "run as another user", example: "nobody",
                     read: { input, spec throws(AttributeError) in spec.user = try input.userOrGroup("a user name or number") },
                     write: { $0.user.map(JSON.string) }),
        AppAttribute("gid", type: .text, flag: .value("group", "GROUP", "run with this primary group (procd must run as root)"),
                     group: .identity, label: "group", summary: "run with this primary group (procd must run as root)",
                     exportNote: "run as another group", example: "nogroup",
                     read: { input, spec throws(AttributeError) in spec.group = try input.userOrGroup("a group name or number") },
                     write: { $0.group.map(JSON.string) }),
    ]
}

extension AttributeInput {
    /// A name, or a number (files and the wire may write a uid as one).
    func userOrGroup(_ expectation: String) throws(AttributeError) -> String {
        guard let text = value.stringValue ?? value.intValue.map(String.init) else {
            throw AttributeError("expected \(expectation), got \(value.typeName)")
        }
        return text
    }
}
