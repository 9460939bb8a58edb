/// Prints the table of figures, the ratios and one PASS/FAIL line per SPEC quality bar.
struct Report {
    let options: Options
    let results: Results
    let supervisordNote: String?
    /// The machine's load when the run began and ended (other work skews every figure).
    let load: (start: String, end: String)

    /// A bar's verdict; `skipped` when a figure it needs was not measured.
    enum Verdict: String {
        case pass = "PASS"
        case fail = "FAIL"
        case skipped = "SKIP"
    }

    func render() -> String {
        var out = "procbench: \(options.reps) repetition(s), managers interleaved; median [min–max]\n"
        out += "load average (1/5/15 min): \(load.start) at start, \(load.end) at end\n"
        if let supervisordNote { out += "supervisord: \(supervisordNote)\n" }
        if options.isSmoke { out += "smoke run: the workloads are too small for the verdicts below to mean anything\n" }
        out += "\n" + table() + "\n" + ratios() + "\n"
        let bars = self.bars()
        out += "quality bars (SPEC)\n"
        for bar in bars { out += "\(bar.verdict.rawValue)  \(bar.title): \(bar.detail)\n" }
        if !results.errors.isEmpty {
            out += "\nerrors\n"
            for error in results.errors { out += "  \(error.message)\n" }
        }
        return out
    }

    private func table() -> String {
        let widths = [44, 6, 24, 24, 24, 24]
        var out = row(["figure", "unit", "procd", "floor", "supervisord", "baseline"], widths)
        for metric in Metric.allCases {
            let cells = Column.allCases.map { cell(results.samples(metric, $0)) }
            if cells.allSatisfy({ $0 == "—" }) { continue }
            var line = row([metric.title(options), metric.unit] + cells, widths)
            if let baseline = metric.baseline, !results.samples(metric, .baseline).isEmpty {
                line = String(line.dropLast()) + "  (\(baseline))\n"
            }
            out += line
        }
        return out
    }

    private func ratios() -> String {
        let widths = [44, 14, 20, 16]
        var out = row(["ratio of medians", "procd/floor", "procd/supervisord", "procd/baseline"], widths)
        for metric in Metric.allCases where metric != .floodLost && metric != .idleWakeups {
            let cells = [Column.floor, .supervisord, .baseline].map { ratio(metric, over: $0).map { format($0) + "×" } ?? "—" }
            if cells.allSatisfy({ $0 == "—" }) { continue }
            out += row([metric.title(options)] + cells, widths)
        }
        return out
    }

    struct Bar {
        var title: String
        var verdict: Verdict
        var detail: String
    }

    func bars() -> [Bar] {
        var bars: [Bar] = []
        let n = options.many
        let m = options.scale
        func check(_ title: String, _ value: Double?, _ detail: (Double) -> String, _ passes: (Double) -> Bool) {
            guard let value else { return bars.append(Bar(title: title, verdict: .skipped, detail: "not measured")) }
            bars.append(Bar(title: title, verdict: passes(value) ? .pass : .fail, detail: detail(value)))
        }
        let list = results.median(.listMany, .procd)
        check("procctl list with \(n) within 5× an exec of /bin/true", ratio(.listMany, over: .baseline),
              { "\(ms(list)) vs \(ms(results.median(.listMany, .baseline))) = \(format($0))×" }, { $0 <= 5 })
        check("procctl list ≥ 25× faster than supervisorctl status (\(n))",
              results.median(.listMany, .supervisord).flatMap { s in list.map { s / $0 } },
              { "\(ms(results.median(.listMany, .supervisord))) vs \(ms(list)) = \(format($0))× faster" }, { $0 >= 25 })
        check("daemon RSS < 10 MiB with \(n) processes", results.samples(.rssMany, .procd).maximum,
              { "max \(format($0)) MiB, median \(format(results.median(.rssMany, .procd) ?? 0)) MiB" }, { $0 < 10 })
        check("keeper's own memory < 1 MiB with \(n) processes", results.samples(.keeperPrivate, .procd).maximum,
              { "max \(format($0)) MiB private (RSS \(format(results.median(.keeperRSS, .procd) ?? 0)) MiB, mostly the binary's pages shared with the daemon)" },
              { $0 < 1 })
        check("zero wake-ups when idle (\(options.idleSeconds) s, \(n) processes)", results.samples(.idleWakeups, .procd).maximum,
              { "max \(format($0)) context switches, CPU \(ms(results.median(.idleCPU, .procd)))" }, { $0 == 0 })
        check("respawn within 3× the floor", ratio(.respawn, over: .floor),
              { "\(ms(results.median(.respawn, .procd))) vs \(ms(results.median(.respawn, .floor))) = \(format($0))×" }, { $0 <= 3 })
        check("start \(n) within 2× the floor", ratio(.startMany, over: .floor),
              { "\(ms(results.median(.startMany, .procd))) vs \(ms(results.median(.startMany, .floor))) = \(format($0))×" }, { $0 <= 2 })
        let lost = results.samples(.floodLost, .procd).maximum
        let floodErrors = results.errors(.procd, [.floodCapture, .floodLost])
        check("log capture ≥ 0.8× writer | cat > file, no byte lost", ratio(.floodCapture, over: .baseline),
              { "\(format(results.median(.floodCapture, .procd) ?? 0)) vs \(format(results.median(.floodCapture, .baseline) ?? 0)) MiB/s = \(format($0))×, \(Int(lost ?? -1)) bytes lost" },
              { $0 >= 0.8 && lost == 0 && floodErrors.isEmpty })
        bars.append(completeRuns("\(m) processes start, list and stop without error",
                                 start: .startScale, stop: .stopScale, also: [.rssScale, .listScale]))
        bars += appBars()
        return bars
    }

    /// A bar that passes when every repetition of a start-list-stop figure completed.
    private func completeRuns(_ title: String, start: Metric, stop: Metric, also: [Metric] = []) -> Bar {
        let errors = results.errors(.procd, Set([start, stop] + also))
        let runs = results.samples(stop, .procd).values.count
        return Bar(
            title: title,
            verdict: errors.isEmpty && runs == options.reps ? .pass : .fail,
            detail: errors.isEmpty ? "\(runs) of \(options.reps) runs complete; start \(ms(results.median(start, .procd))), stop \(ms(results.median(stop, .procd)))"
                : errors.joined(separator: "; "))
    }

    /// The Wave 2 bars: many apps from one file, and the list RPC.
    private func appBars() -> [Bar] {
        var bars: [Bar] = []
        func ratioBar(_ title: String, _ metric: Metric, over column: Column, _ limit: Double, faster: Bool = false) {
            guard let value = ratio(metric, over: column) else {
                return bars.append(Bar(title: title, verdict: .skipped, detail: "not measured"))
            }
            let passes = faster ? value < limit : value <= limit
            let detail = "\(ms(results.median(metric, .procd))) vs \(ms(results.median(metric, column))) = \(format(value))×"
            bars.append(Bar(title: title, verdict: passes ? .pass : .fail, detail: detail))
        }
        ratioBar("start \(options.apps) apps from one file within 1.5× the floor", .startApps, over: .floor, 1.5)
        ratioBar("start \(options.appsLarge) apps from one file within 2× the floor", .startAppsLarge, over: .floor, 2)
        ratioBar("start \(options.appsLarge) apps faster than supervisord", .startAppsLarge, over: .supervisord, 1, faster: true)
        ratioBar("stop \(options.appsLarge) apps within 2× the floor", .stopAppsLarge, over: .floor, 2)
        bars.append(completeRuns("\(options.appsScale) apps start, list and stop without error",
                                 start: .startAppsScale, stop: .stopAppsScale))
        for (metric, what) in [(Metric.listRPC, "list RPC"), (.listRPCFull, "full JSON list RPC")] {
            if let rate = results.median(metric, .procd) {
                bars.append(Bar(title: "\(what) with \(options.many) processes ≥ 10,000 requests/s to \(options.rpcClients) clients",
                                verdict: rate >= 10_000 ? .pass : .fail, detail: "\(format(rate)) requests/s"))
            } else {
                bars.append(Bar(title: "\(what) ≥ 10,000 requests/s", verdict: .skipped, detail: "not measured"))
            }
        }
        return bars
    }

    /// procd's median over `column`'s median; for throughputs that is a speed ratio.
    private func ratio(_ metric: Metric, over column: Column) -> Double? {
        guard let procd = results.median(metric, .procd), let other = results.median(metric, column), other != 0 else { return nil }
        return procd / other
    }

    private func cell(_ samples: Samples) -> String {
        guard let median = samples.median, let low = samples.minimum, let high = samples.maximum else { return "—" }
        return samples.values.count == 1 ? format(median) : "\(format(median)) [\(format(low))–\(format(high))]"
    }

    private func ms(_ value: Double?) -> String { value.map { format($0) + " ms" } ?? "—" }

    private func row(_ cells: [String], _ widths: [Int]) -> String {
        var line = ""
        for (cell, width) in zip(cells, widths) {
            line += cell + String(repeating: " ", count: max(1, width - cell.count))
        }
        while line.last == " " { line.removeLast() }
        return line + "\n"
    }
}

/// A figure with as many decimals as its size deserves.
func format(_ value: Double) -> String {
    let magnitude = abs(value)
    let decimals = magnitude >= 100 ? 0 : magnitude >= 10 ? 1 : 2
    var scaled = (value * pow10(decimals)).rounded() / pow10(decimals)
    if scaled == 0 { scaled = 0 }                          // no "-0"
    var text = String(scaled)
    if decimals == 0, text.hasSuffix(".0") { text.removeLast(2) }
    if let dot = text.firstIndex(of: ".") {
        let have = text.distance(from: dot, to: text.endIndex) - 1
        if have < decimals { text += String(repeating: "0", count: decimals - have) }
    }
    return text
}

private func pow10(_ n: Int) -> Double { n == 0 ? 1 : n == 1 ? 10 : 100 }
