import Foundation
import ProcdPlatform

/// One benchmark run: repetitions, each running every manager in turn (the order rotates
/// from one repetition to the next), then the report.
struct Benchmark {
    let options: Options
    let binaries: Binaries

    private enum Slot: String { case procd, floor, supervisord, baseline }

    /// Runs everything and prints the report; 1 when a figure could not be measured.
    func run() -> Int32 {
        Sweeper.shared.install()
        defer { Sweeper.shared.sweep() }
        let loadAtStart = Self.loadAverage()
        let (supervisor, note) = installSupervisor()
        var slots: [Slot] = [.procd, .floor, .baseline]
        if supervisor != nil { slots.insert(.supervisord, at: 2) }
        var results = Results()
        for rep in 0..<options.reps {
            // Each repetition starts with the next slot, so none always runs first.
            let shift = rep % slots.count
            for slot in slots[shift...] + slots[..<shift] {
                progress("repetition \(rep + 1)/\(options.reps): \(slot.rawValue)")
                do {
                    let scratch = try TemporaryDirectory.make()
                    try measure(slot, supervisor: supervisor, scratch: scratch, into: &results)
                    // Whatever a manager left behind goes before the next one runs.
                    for pid in Sweeper.descendants(of: getpid()) { kill(pid, SIGKILL) }
                    _ = waitUntil(timeout: 5) {
                        _ = Processes.reapAll()
                        return Sweeper.descendants(of: getpid()).isEmpty
                    }
                    removeTree(scratch)
                } catch {
                    results.fail(Column(rawValue: slot.rawValue) ?? .baseline, Set(Metric.allCases), "\(slot.rawValue): \(error)")
                }
            }
        }
        let report = Report(options: options, results: results, supervisordNote: note, load: (loadAtStart, Self.loadAverage()))
        print(report.render(), terminator: "")
        return results.errors.isEmpty ? 0 : 1
    }

    /// supervisord in a throwaway virtualenv, unless the options leave it out; the note
    /// says why it is missing.
    private func installSupervisor() -> (Supervisor?, String?) {
        guard options.includesSupervisord else {
            return (nil, options.isSmoke ? "skipped (--smoke)" : "skipped (--no-supervisord)")
        }
        progress("installing supervisor into a throwaway virtualenv (python3 -m venv, pip install supervisor)")
        switch Supervisor.install() {
        case .success(let installed):
            return (installed, nil)
        case .failure(let error):
            let note = "skipped: it could not be installed (\(error))"
            progress("supervisord \(note)")
            return (nil, note)
        }
    }

    /// One slot's figures of one repetition, measured in `scratch`.
    private func measure(_ slot: Slot, supervisor: Supervisor?, scratch: String, into results: inout Results) throws {
        let measurements = Measurements(options: options, binaries: binaries)
        switch slot {
        case .procd:
            let manager = ProcdManager(binaries: binaries, home: scratch + "/home")
            measurements.run(manager, as: .procd, scratch: scratch, into: &results)
            measurements.runFleets(ProcdManager(binaries: binaries, home: scratch + "/fleet"), as: .procd, into: &results)
        case .floor:
            measurements.run(FloorManager(binaries: binaries), as: .floor, scratch: scratch, into: &results)
            measurements.runFleets(FloorManager(binaries: binaries), as: .floor, into: &results)
        case .supervisord:
            guard let supervisor else { return }
            let manager = SupervisordManager(supervisor: supervisor, binaries: binaries, directory: scratch,
                                             apps: Measurements.apps(options, scratch: scratch))
            measurements.run(manager, as: .supervisord, scratch: scratch, into: &results)
            let fleetDirectory = scratch + "/fleet"
            try File.makeDirectory(fleetDirectory, mode: 0o700)
            let fleets = Measurements.fleets(options, for: .supervisord)
            let fleetManager = SupervisordManager(
                supervisor: supervisor, binaries: binaries, directory: fleetDirectory,
                apps: Dictionary(uniqueKeysWithValues: fleets.map { ($0.app, Workload.apps(count: $0.count)) }))
            measurements.runFleets(fleetManager, as: .supervisord, into: &results)
        case .baseline:
            Baselines(options: options, binaries: binaries).run(into: &results)
        }
    }

    /// The first three fields of /proc/loadavg.
    static func loadAverage() -> String {
        (readText("/proc/loadavg") ?? "?").split(separator: " ").prefix(3).joined(separator: " ")
    }

    private func progress(_ text: String) {
        Environment.write("procbench: \(text)\n", to: 2)
    }
}
