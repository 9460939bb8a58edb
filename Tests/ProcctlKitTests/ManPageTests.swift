import Foundation
import ProcctlKit
import ProcdCore
import ProcdWire
import Testing

/// The man pages: complete with respect to the command table and the wire protocol, and
/// clean under `mandoc -T lint`.
@Suite struct ManPageTests {
    static let hasMandoc = TestSupport.which("mandoc") != nil

    static func page(_ relative: String) throws -> String {
        try String(contentsOfFile: TestSupport.path(relative), encoding: .utf8)
    }

    @Test func procctlPageNamesEveryCommandAndOption() throws {
        let page = try Self.page("man/procctl.1")
        var missing: [String] = []
        for command in CommandTable.commands {
            let item = ".It Nm Cm \(command.name)"
            if !page.contains(item + " ") && !page.contains(item + "\n") { missing.append(command.name) }
            for alias in command.aliases where !page.contains("Cm \(alias)") { missing.append("\(command.name) alias \(alias)") }
            for option in command.options {
                if !page.contains("Fl \\-\(option.long)") { missing.append("\(command.name) --\(option.long)") }
                if let short = option.short, !page.contains("Fl \(short) , Fl \\-\(option.long)") {
                    missing.append("\(command.name) -\(short)")
                }
            }
        }
        #expect(missing.isEmpty, "man/procctl.1 lacks \(missing); regenerate it (PROCD_RECORD_SNAPSHOTS=1)")
    }

    @Test func procctlPageHasTheRequiredSections() throws {
        let page = try Self.page("man/procctl.1")
        let sections = ["NAME", "SYNOPSIS", "DESCRIPTION", "COMMANDS", "TARGETS", "ENVIRONMENT", "FILES",
                        "EXIT STATUS", "EXAMPLES", "SEE ALSO"].filter { !page.contains(".Sh \($0)\n") }
        #expect(sections.isEmpty, "procctl.1 lacks the section(s) \(sections)")
        let words = ["PROCD_HOME", "NO_COLOR", "procd.sock", "state.json", "dump.json", "Xr procd 8"].filter { !page.contains($0) }
        #expect(words.isEmpty, "procctl.1 does not mention \(words)")
    }

    /// procd.8 is written by hand; this keeps its protocol section in step with the code.
    @Test func procdPageDocumentsEveryWireCommandAndErrorCode() throws {
        let page = try Self.page("man/procd.8")
        let commands = WireCommand.allCases.map(\.rawValue).filter { !page.contains("Cm \($0)") }
        #expect(commands.isEmpty, "procd.8 does not document the wire command(s) \(commands)")
        let codes = ErrorCode.allCases.map(\.rawValue).filter { !page.contains(".It Cm \($0)\n") }
        #expect(codes.isEmpty, "procd.8 does not document the error code(s) \(codes)")
    }

    /// procd-ecosystem.5 is written by hand; this keeps its attribute list in step with the
    /// attribute table and `Ecosystem.unsupported`.
    @Test func ecosystemPageDocumentsEveryAttribute() throws {
        let page = try Self.page("man/procd-ecosystem.5")
        let known = AppAttributes.fileKeys
        let unsupported = Ecosystem.unsupported
        #expect(known.count > 30 && known.contains("script") && known.contains("cron"), "could not read the known set: \(known)")
        #expect(unsupported.contains("treekill"), "could not read the unsupported set: \(unsupported)")
        // A known attribute has an entry of its own; an unsupported one is at least named.
        let undocumented = known.sorted().filter { !page.contains(".It Ar \($0)\n") && !page.contains(".It Ar \($0) ") }
        #expect(undocumented.isEmpty, "procd-ecosystem.5 has no entry for \(undocumented)")
        let unnamed = unsupported.sorted().filter { !page.contains("Ar \($0) ") && !page.contains(" \($0) ,") && !page.contains(" \($0) .") }
        #expect(unnamed.isEmpty, "procd-ecosystem.5 does not name the unsupported attribute(s) \(unnamed)")
        for word in ["env_", "Procfile", ".env", "YAML", "\\-only", "\\-dry-run", "\\-env", "Xr procctl 1"] {
            #expect(page.contains(word), "procd-ecosystem.5 does not mention \(word)")
        }
    }


    @Test(.enabled(if: hasMandoc, "mandoc is not installed; apt-get install mandoc"),
          arguments: ["man/procctl.1", "man/procd.8", "man/procd-ecosystem.5"])
    func lintIsClean(_ relative: String) throws {
        let mandoc = try #require(TestSupport.which("mandoc"))
        let result = try TestSupport.run(mandoc, ["-T", "lint", "-W", "style", TestSupport.path(relative)])
        // Cross-references to pages not installed on this machine (procd(8) before
        // `make install`, logrotate(8)) depend on the host, not on the page.
        let problems = (result.stdout + result.stderr).split(separator: "\n").filter {
            !$0.contains("referenced manual not found") && !$0.contains("mandoc.db")
        }
        #expect(problems.isEmpty, "mandoc -T lint \(relative):\n\(problems.joined(separator: "\n"))")
    }
}
