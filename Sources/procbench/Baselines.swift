import Foundation
import ProcdPlatform

/// The references the managers are compared with: an exec of /bin/true, and the same
/// flood writer piped through `cat > file` or written straight to a file.
struct Baselines {
    let options: Options
    let binaries: Binaries

    func run(into results: inout Results) {
        do {
            for _ in 0..<options.listSamples {
                let outcome = try Command.timed(["/bin/true"])
                for metric in [Metric.listOne, .listMany, .listScale] { results.add(metric, .baseline, outcome.elapsed) }
            }
            results.add(.floodCapture, .baseline, try flood(throughCat: true))
            results.add(.floodFile, .baseline, try flood(throughCat: false))
        } catch {
            results.fail(.baseline, [.listOne, .listMany, .listScale, .floodCapture, .floodFile], "baseline: \(error)")
        }
    }

    /// Runs the writer into a file, through `cat` or directly; returns MiB/s after checking
    /// that every byte arrived.
    private func flood(throughCat: Bool) throws -> Double {
        let directory = try TemporaryDirectory.make()
        let stamp = directory + "/stamp"
        let output = directory + "/flood.log"
        let bytes = options.floodBytes
        let file = try File.open(output, flags: O_WRONLY | O_CREAT | O_TRUNC)
        let writer = [binaries.fixture, "--stamp", stamp, "--spew", String(bytes)]
        var pids: [Int32] = []
        if throughCat {
            let pipe = try ProcdPlatform.Pipe()
            pids.append(try Command.spawn(writer, descriptors: [-1, pipe.writeEnd.raw]))
            pids.append(try Command.spawn(["/bin/cat"], descriptors: [pipe.readEnd.raw, file.raw]))
            pipe.writeEnd.close()
            pipe.readEnd.close()
        } else {
            pids.append(try Command.spawn(writer, descriptors: [-1, file.raw]))
        }
        file.close()
        for pid in pids { Command.wait(pid) }
        let finishedAt = Clock.wallNanoseconds()
        guard let startedAt = readStamp(stamp) else { throw BenchError("the flood writer never wrote its stamp") }
        let size = File.size(output) ?? 0
        if size != Int64(bytes) { throw BenchError("\(throughCat ? "cat > file" : "file") holds \(size) bytes, \(bytes) were written") }
        try File.remove(output)
        return throughput(bytes, startedAt, finishedAt)
    }
}
