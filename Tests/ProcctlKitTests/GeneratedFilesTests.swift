import Foundation
import ProcctlKit
import Testing

/// The checked-in man page and completion scripts match what the command table generates.
///
/// To re-record on purpose after changing the table or the generators:
/// `PROCD_RECORD_SNAPSHOTS=1 swift test --filter GeneratedFilesTests`.
@Suite struct GeneratedFilesTests {
    static let recording = ProcessInfo.processInfo.environment["PROCD_RECORD_SNAPSHOTS"] == "1"

    @Test(arguments: GeneratedFiles.all.map(\.path))
    func checkedInFileMatchesTheCommandTable(_ relativePath: String) throws {
        let generated = try #require(GeneratedFiles.all.first { $0.path == relativePath }).contents
        let path = TestSupport.path(relativePath)
        if Self.recording {
            try FileManager.default.createDirectory(
                atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try generated.write(toFile: path, atomically: true, encoding: .utf8)
            return
        }
        let checkedIn = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
        let matches = checkedIn == generated
        #expect(
            matches,
            """
            \(relativePath) is out of date with the command table (\(Self.firstDifference(checkedIn, generated))); \
            run PROCD_RECORD_SNAPSHOTS=1 swift test --filter GeneratedFilesTests and review the diff
            """)
    }

    /// "line N: 'checked in' vs 'generated'", to point at the drift without printing whole files.
    static func firstDifference(_ old: String, _ new: String) -> String {
        let oldLines = old.split(separator: "\n", omittingEmptySubsequences: false)
        let newLines = new.split(separator: "\n", omittingEmptySubsequences: false)
        for index in 0..<max(oldLines.count, newLines.count) {
            let before = index < oldLines.count ? String(oldLines[index]) : "<end of file>"
            let after = index < newLines.count ? String(newLines[index]) : "<end of file>"
            if before != after { return "line \(index + 1): '\(before)' checked in, '\(after)' generated" }
        }
        return "no difference"
    }

    @Test func generationIsDeterministic() {
        for (first, second) in zip(GeneratedFiles.all, GeneratedFiles.all) {
            #expect(first.contents == second.contents, "\(first.path) differs between two runs")
        }
    }
}
