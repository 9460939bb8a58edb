import ProcdCore
import ProcdWire

extension Views {
    /// `describe`: everything about each process, in sections.
    func describe(_ items: [JSON], json: Bool) -> Int32 {
        if json {
            console.out(JSON.array(items).serialized(pretty: true) + "\n")
            return 0
        }
        for (index, item) in items.enumerated() {
            guard let p = ProcessSnapshot(json: item) else { continue }
            if index > 0 { console.out("\n") }
            let sections = DescribeSections(process: p, item: item, status: paintStatus(p.status)).all
            let width = sections.flatMap { $0.1.map(\.0.count) }.max() ?? 0
            console.out(console.paint("\(p.name) (id \(p.id))", "1") + "\n")
            for (title, rows) in sections {
                console.out(console.paint(title, "1;4") + "\n")
                for (key, text) in rows {
                    console.out("  " + key + String(repeating: " ", count: width - key.count) + "  " + text + "\n")
                }
            }
            // What the process said last before it exited: usually why it did.
            let tail = item["stderr_tail"]?.arrayValue?.compactMap(\.stringValue) ?? []
            console.out(console.paint("Last stderr lines before the exit", "1;4") + "\n")
            console.out(tail.isEmpty ? "  -\n" : tail.map { "  | " + $0 + "\n" }.joined())
        }
        return 0
    }
}
