// libFuzzer target: everything that reads configuration written by people: JSON
// ecosystem files, Procfiles, dotenv files, cron expressions, addresses and sizes.
// Built by run.sh together with the sources of ProcdCore as one module.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzConfig(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    if let document = try? JSONParser.parse(bytes: bytes) {
        if let loaded = try? Ecosystem.load(document, file: "fuzz.json", environments: ["production"]) {
            for draft in loaded.drafts { _ = draft.instanceCount(cpus: 4) }
        }
        _ = try? AppSpec(json: document)
    }
    let text = String(decoding: bytes, as: UTF8.self)
    _ = try? Ecosystem.procfile(text, file: "Procfile")
    _ = try? DotEnv.parse(text)
    _ = try? ShellWords.split(text)
    if let cron = try? Cron.parse(text) { _ = cron.next(after: 29_000_000) }
    _ = ListenAddress.parse(text)
    _ = HealthURL.parse(text)
    _ = Units.bytes(text)
    _ = Units.duration(text)
    _ = WatchFilter(patterns: [text]).ignores("src/app.js")
    _ = LogDateFormat.render(text, CivilTime(year: 2026, month: 2, day: 28, hour: 23, minute: 59, second: 59, millisecond: 999, utcOffset: -3600))
    return 0
}
