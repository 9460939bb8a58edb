// libFuzzer target: the YAML parser, the ecosystem reader behind it, and the YAML
// writer, whose output must read back as the value it was written from.
// Built by run.sh together with the sources of ProcdCore as one module.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzYAML(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    guard let document = try? YAML.load(bytes: bytes, file: "fuzz.yaml") else { return 0 }
    _ = try? Ecosystem.load(document.value, file: "fuzz.yaml", environments: ["production"], fromYAML: true)
    let written = document.value.yamlText()
    do {
        let reread = try YAML.parse(written, file: "written.yaml")
        // Compared as text: NaN is not equal to itself.
        precondition(reread.yamlText() == written, "the writer's output reads back differently:\n\(written)")
    } catch {
        preconditionFailure("the writer's output does not parse: \(error)\n\(written)")
    }
    return 0
}
