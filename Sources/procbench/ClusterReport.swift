import Foundation
import ProcdCore

extension ClusterBench {
    /// The table (medians, with the worst repetition where the bar is about every one) and
    /// a PASS/FAIL line per bar of SPEC › Wave 3.
    func report(_ figures: [Setup: [Figure: Samples]]) -> String {
        func samples(_ setup: Setup, _ figure: Figure) -> Samples { figures[setup]?[figure] ?? Samples() }
        func cell(_ value: Double?) -> String {
            guard let value else { return "-" }
            return value >= 100 ? String(Int(value.rounded())) : Format.oneDecimal(value)
        }
        var text = "procbench cluster: \(instances) instances of one Node HTTP server, \(reps) repetition(s), medians\n\n"
        let width = Figure.allCases.map(\.rawValue.count).max() ?? 20
        text += "figure".padding(toLength: width, withPad: " ", startingAt: 0)
        for setup in Setup.allCases { text += "  " + setup.rawValue.leftPadded(to: 12) }
        text += "\n"
        for figure in Figure.allCases {
            text += figure.rawValue.padding(toLength: width, withPad: " ", startingAt: 0)
            for setup in Setup.allCases { text += "  " + cell(samples(setup, figure).median).leftPadded(to: 12) }
            text += "\n"
        }
        func times(_ ratio: Double?) -> String { ratio.map { String(format: "%.2fx", $0) } ?? "-" }
        let rr = Setup.roundRobin
        func ratio(_ figure: Figure) -> Double? {
            guard let mine = samples(rr, figure).median, let shared = samples(.shared, figure).median, shared > 0 else { return nil }
            return mine / shared
        }
        let keepRatio = ratio(.keepRate), newRatio = ratio(.newRate)
        let reloadWorst = [Setup.roundRobin, .leastConnections, .shared].compactMap {
            [samples($0, .reloadFailed).maximum, samples($0, .reloadHung).maximum].compactMap { $0 }.max()
        }.max()
        let bars: [(String, Bool?)] = [
            ("round-robin, 800 new connections: every instance 21-29 % (worst \(cell(samples(rr, .newMin).minimum))-\(cell(samples(rr, .newMax).maximum)) %)",
             samples(rr, .newMin).minimum.flatMap { low in samples(rr, .newMax).maximum.map { low >= 21 && $0 <= 29 } }),
            ("round-robin, 32 keep-alive connections: every instance 6-10 (worst \(cell(samples(rr, .keepMin).minimum))-\(cell(samples(rr, .keepMax).maximum)))",
             samples(rr, .keepMin).minimum.flatMap { low in samples(rr, .keepMax).maximum.map { low >= 6 && $0 <= 10 } }),
            ("round-robin keep-alive throughput >= 0.9x shared (\(times(keepRatio)))", keepRatio.map { $0 >= 0.9 }),
            ("round-robin new-connection throughput >= 0.75x shared (\(times(newRatio)))", newRatio.map { $0 >= 0.75 }),
            ("reload under load: 0 failed, 0 hung in every procd setup (worst \(cell(reloadWorst)))", reloadWorst.map { $0 == 0 }),
        ]
        text += "\n"
        for (bar, passed) in bars { text += "\(passed.map { $0 ? "PASS" : "FAIL" } ?? "n/a ")  \(bar)\n" }
        return text
    }
}

extension String {
    func leftPadded(to width: Int) -> String { count >= width ? self : String(repeating: " ", count: width - count) + self }
}
