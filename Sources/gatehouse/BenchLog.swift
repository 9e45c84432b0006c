import Foundation
import ArgumentParser
import Dispatch
import EventLog
import GatehouseCore

/// `gatehouse bench log --data DIR`: batched outcome appends and replay throughput.
struct BenchLog: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "log",
        abstract: "Traffic-outcome appends/s (encode + append, one fsync per batch) and replay events/s (read + CRC + decode).",
        discussion: "Prints a table, then one JSON line {\"appends_per_s\": N, \"replay_per_s\": M}."
    )

    @OptionGroup var options: DataOptions
    @Option(help: "Outcomes to append.") var count: Int = 1_000_000
    @Option(help: "Outcomes per transaction.") var batch: Int = 1000

    func run() async throws {
        guard count > 0, batch > 0 else { throw ValidationFailure("--count and --batch must be positive") }
        let log = try options.openLog()
        var traffic = SyntheticTraffic(seed: 42)
        var time = Timestamp.now()
        let start = try log.lastSequence(of: nil)

        var appendNanos: UInt64 = 0
        var written = 0
        while written < count {
            let size = min(batch, count - written)
            let outcomes = (0 ..< size).map { _ in
                time = Timestamp(microseconds: time.microseconds + 37)
                return traffic.next(at: time)
            }
            let began = DispatchTime.now().uptimeNanoseconds
            let appends = outcomes.map { $0.trafficAppend() }
            _ = try log.appendTraffic(appends)
            appendNanos += DispatchTime.now().uptimeNanoseconds - began
            written += size
        }

        var scanned = 0
        let scanBegan = DispatchTime.now().uptimeNanoseconds
        try log.scan(.traffic, after: start) { record in
            scanned &+= Int(record.kind)
            return true
        }
        let scanNanos = DispatchTime.now().uptimeNanoseconds - scanBegan

        // Replay as a projection does it: decode in place, fold the fields a metrics bucket needs.
        var replayed = 0
        var checksum = 0
        let replayBegan = DispatchTime.now().uptimeNanoseconds
        try log.scan(.traffic, after: start) { record in
            let outcome = try RequestCompletedView(record)
            checksum &+= outcome.status &+ Int(outcome.totalMicros) &+ Int(outcome.cacheStatus.rawValue) &+ (outcome.apiKeyID == nil ? 0 : 1)
            replayed += 1
            return true
        }
        let replayNanos = DispatchTime.now().uptimeNanoseconds - replayBegan

        // And into owned values, every string copied out.
        var owned = 0
        let ownedBegan = DispatchTime.now().uptimeNanoseconds
        try log.scan(.traffic, after: start) { record in
            owned &+= try RequestCompleted(record).path.utf8.count
            return true
        }
        let ownedNanos = DispatchTime.now().uptimeNanoseconds - ownedBegan
        guard replayed == count else { throw ValidationFailure("replayed \(replayed) of \(count) outcomes") }

        let appendsPerSecond = Int(Double(count) / (Double(appendNanos) / 1e9))
        let replayPerSecond = Int(Double(replayed) / (Double(replayNanos) / 1e9))
        let fileBytes = (try? FileManager.default.attributesOfItem(atPath: log.directory + "/data.mdb")[.size] as? NSNumber)?.intValue ?? 0
        var table = TextTable("measure", "events", "seconds", "events/s")
        table.add("append (encode + put, fsync per \(batch))", count.grouped, String(format: "%.3f", Double(appendNanos) / 1e9), appendsPerSecond.grouped)
        table.add("scan (read + CRC, no decode)", count.grouped, String(format: "%.3f", Double(scanNanos) / 1e9),
                  Int(Double(count) / (Double(scanNanos) / 1e9)).grouped)
        table.add("replay (read + CRC + in-place decode)", replayed.grouped, String(format: "%.3f", Double(replayNanos) / 1e9), replayPerSecond.grouped)
        table.add("replay (read + CRC + owned decode)", count.grouped, String(format: "%.3f", Double(ownedNanos) / 1e9),
                  Int(Double(count) / (Double(ownedNanos) / 1e9)).grouped)
        print(table.rendered)
        print("log file \(fileBytes.grouped) bytes; checksums \(checksum) \(scanned) \(owned)")
        print("{\"appends_per_s\": \(appendsPerSecond), \"replay_per_s\": \(replayPerSecond)}")
    }
}

