import ArgumentParser
import Dispatch
import EventLog
import Foundation
import GatehouseCore
import GatehouseEngine

/// `gatehouse bench metrics --data DIR`: the metrics projection's full rebuild rate against a
/// plain replay of the same outcomes, and how long an analytics overview takes from its buckets.
struct BenchMetrics: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "metrics",
        abstract: "Metrics projection: full rebuild outcomes/s (vs replay alone) and overview query time from the buckets.",
        discussion: """
            Appends --count synthetic outcomes spread evenly over --days to the log in DIR (a fresh directory), then \
            measures, in the same invocation: a replay that only decodes (the baseline; like every long scan it reads ahead \
            on a second core), a full rebuild of the minute/hour/day \
            buckets on one thread and on one per core, and an overview (totals, p50/p95/p99, top routes, 24 hourly points) over the whole range and the last \
            24 hours — medians of 21 runs. Prints a table, then one JSON line.
            """
    )

    @OptionGroup var options: DataOptions
    @Option(help: "Outcomes to generate.") var count: Int = 10_000_000
    @Option(help: "Days they are spread over.") var days: Int = 30

    func run() async throws {
        guard count > 0, days > 0 else { throw ValidationFailure("--count and --days must be positive") }
        let log = try options.openLog()
        guard try log.lastSequence(of: .traffic) == 0 else { throw ValidationFailure("--data must name a log without traffic") }
        var traffic = SyntheticTraffic(seed: 7)
        let end = Timestamp.now()
        let span = Int64(days) * 86_400_000_000
        let step = max(1, span / Int64(count))
        var time = Timestamp(microseconds: end.microseconds - span)
        let setupNanos = try measure {
            var batch: [TrafficAppend] = []
            batch.reserveCapacity(10_000)
            for _ in 0 ..< count {
                time = Timestamp(microseconds: time.microseconds + step)
                batch.append(traffic.next(at: time).trafficAppend())
                if batch.count == 10_000 {
                    _ = try log.appendTraffic(batch)
                    batch.removeAll(keepingCapacity: true)
                }
            }
            if !batch.isEmpty { _ = try log.appendTraffic(batch) }
        }

        var checksum = 0
        let replayNanos = try measure {
            try log.scan(.traffic, after: 0) { record in
                let outcome = try RequestCompletedView(record)
                checksum &+= outcome.status &+ Int(outcome.totalMicros)
                return true
            }
        }
        let threads = ProcessInfo.processInfo.activeProcessorCount
        var buckets = MetricsBuckets()
        let sequentialNanos = try measure { buckets = try MetricsBuckets.rebuild(from: log, threads: 1) }
        guard buckets.folded == count else { throw ValidationFailure("folded \(buckets.folded) of \(count)") }
        buckets = MetricsBuckets()  // the one-thread result is freed before, not inside, the next measurement
        let rebuildNanos = try measure { buckets = try MetricsBuckets.rebuild(from: log, threads: threads) }
        guard buckets.folded == count else { throw ValidationFailure("folded \(buckets.folded) of \(count)") }

        let whole = (from: Timestamp(microseconds: end.microseconds - span), to: end.adding(seconds: 60))
        let lastDay = (from: end.adding(seconds: -86_400), to: end.adding(seconds: 60))
        var requests: UInt64 = 0
        func overview(_ range: (from: Timestamp, to: Timestamp)) {
            let all = buckets.tally(.all, from: range.from, to: range.to)
            let routes = buckets.tallies(from: range.from, to: range.to) { if case .route = $0 { true } else { false } }
            let top = routes.sorted { $0.value.requests > $1.value.requests }.prefix(10)
            let trend = buckets.hourly(.all, from: range.to.adding(seconds: -86_400), to: range.to)
            requests &+= all.requests &+ UInt64(all.percentileMilliseconds(0.95)) &+ UInt64(top.count) &+ UInt64(trend.count)
        }
        let wholeNanos = medianNanos { overview(whole) }
        let dayNanos = medianNanos { overview(lastDay) }
        let total = buckets.tally(.all, from: whole.from, to: whole.to)
        guard total.requests == UInt64(count) else { throw ValidationFailure("the overview counts \(total.requests) of \(count)") }

        func perSecond(_ nanos: UInt64) -> Int { Int(Double(count) / (Double(nanos) / 1e9)) }
        func milliseconds(_ nanos: UInt64) -> String { String(format: "%.2f", Double(nanos) / 1e6) }
        var table = TextTable("measure", "outcomes", "seconds", "outcomes/s", "× replay")
        table.add("append (setup, batches of 10,000)", count.grouped, String(format: "%.3f", Double(setupNanos) / 1e9), perSecond(setupNanos).grouped, "")
        table.add("replay (read + CRC + in-place decode, reading ahead)", count.grouped, String(format: "%.3f", Double(replayNanos) / 1e9), perSecond(replayNanos).grouped, "1.00")
        table.add(
            "full rebuild, one thread", count.grouped, String(format: "%.3f", Double(sequentialNanos) / 1e9), perSecond(sequentialNanos).grouped,
            String(format: "%.2f", Double(perSecond(sequentialNanos)) / Double(perSecond(replayNanos)))
        )
        table.add(
            "full rebuild, \(threads) threads (stretches joined)", count.grouped, String(format: "%.3f", Double(rebuildNanos) / 1e9), perSecond(rebuildNanos).grouped,
            String(format: "%.2f", Double(perSecond(rebuildNanos)) / Double(perSecond(replayNanos)))
        )
        print(table.rendered)
        print("overview over all \(days) days: \(milliseconds(wholeNanos)) ms; over the last 24 hours: \(milliseconds(dayNanos)) ms (median of 21)")
        print("p50/p95/p99 over the range: \(total.percentileMilliseconds(0.5)) / \(total.percentileMilliseconds(0.95)) / \(total.percentileMilliseconds(0.99)) ms; checksums \(checksum) \(requests)")
        print("{\"rebuild_per_s\": \(perSecond(rebuildNanos)), \"rebuild_one_thread_per_s\": \(perSecond(sequentialNanos)), \"threads\": \(threads), \"replay_per_s\": \(perSecond(replayNanos)), \"overview_ms\": \(milliseconds(wholeNanos))}")
    }

    private func measure(_ body: () throws -> Void) rethrows -> UInt64 {
        let began = DispatchTime.now().uptimeNanoseconds
        try body()
        return DispatchTime.now().uptimeNanoseconds - began
    }

    private func medianNanos(_ body: () -> Void) -> UInt64 {
        let samples = (0 ..< 21).map { _ in measure(body) }.sorted()
        return samples[samples.count / 2]
    }
}
