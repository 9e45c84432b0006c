import ArgumentParser
import Dispatch
import EventLog
import EventLogLMDB
import Foundation
import GatehouseCore
import GatehouseEngine

/// `gatehouse bench log --data DIR`: batched outcome appends and replay throughput.
struct BenchLog: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "log",
        abstract: "Traffic-outcome appends/s (encode + append, one fsync per batch) and replay events/s (read + CRC + decode).",
        discussion: """
            Appends are measured twice: through the OutcomeRecorder as the gateway appends (each producer encodes, \
            one writer thread commits batches) and on one thread (encode, then put). Outcomes are generated before \
            the clock starts. Reads are measured --read-rounds times, interleaved, and reported as medians; the replay \
            runs on the calling thread alone and reading ahead on a second one (what a scan does on more than one core). \
            Prints a table, then one JSON line {"appends_per_s": N, "replay_per_s": M} (M: the replay reading ahead).
            """
    )

    @OptionGroup var options: DataOptions
    @Option(help: "Outcomes to append in each append measurement.") var count: Int = 1_000_000
    @Option(help: "Outcomes per transaction.") var batch: Int = 1000
    @Option(help: "Rounds of the read measurements (medians are reported).") var readRounds: Int = 5

    func run() async throws {
        guard count > 0, batch > 0, readRounds > 0 else { throw ValidationFailure("--count, --batch and --read-rounds must be positive") }
        let log = try options.openLog()
        let start = try log.lastSequence(of: nil)
        var traffic = SyntheticTraffic(seed: 42)
        var time = Timestamp.now()
        func generate() -> [RequestCompleted] {
            (0 ..< count).map { _ in
                time = Timestamp(microseconds: time.microseconds + 37)
                return traffic.next(at: time)
            }
        }

        // 1. As the gateway appends: producers encode, the recorder's writer commits batches.
        var outcomes = generate()
        let recorder = OutcomeRecorder(log: log, configuration: .init(batchSize: batch, flushInterval: .milliseconds(500), queueCapacity: count))
        let pipelineNanos = measure {
            for outcome in outcomes { recorder.record(outcome) }
            recorder.shutdown()
        }
        let statistics = recorder.statistics
        guard statistics.written == count, statistics.dropped == 0 else {
            throw ValidationFailure("recorder wrote \(statistics.written), dropped \(statistics.dropped)")
        }

        // 2. On one thread: encode a batch, then put it.
        outcomes = generate()
        var singleNanos: UInt64 = 0
        for chunk in stride(from: 0, to: count, by: batch) {
            let slice = outcomes[chunk ..< min(chunk + batch, count)]
            singleNanos += measure { _ = try? log.appendTraffic(slice.map { $0.trafficAppend() }) }
        }
        let total = 2 * count

        // 3. The baseline: raw LMDB, the same records as opaque bytes, no encoding, no indexes.
        let rawRecords = outcomes.map { $0.trafficAppend().record }
        let baselineDirectory = log.directory + "/../" + URL(fileURLWithPath: log.directory).lastPathComponent + ".baseline-\(UInt32.random(in: 0 ... .max))"
        defer { try? FileManager.default.removeItem(atPath: baselineDirectory) }
        let baseline = try LMDBBaseline(directory: baselineDirectory)
        let baselineAppendNanos = try measure { try baseline.append(rawRecords, firstKey: 1, batchSize: batch) }

        // 4. Reads, interleaved round by round (medians): raw LMDB, a scan that only checks,
        // and a replay as a projection does it — decode in place, fold the fields a metrics
        // bucket needs — on the caller's thread alone and reading ahead on a second thread.
        var scanned = 0
        var checksum = 0
        func replay(readingAhead: Bool) throws {
            var replayed = 0
            try log.scan(.traffic, after: start, readingAhead: readingAhead) { record in
                let outcome = try RequestCompletedView(record)
                checksum &+= outcome.status &+ Int(outcome.totalMicros) &+ Int(outcome.cacheStatus.rawValue) &+ (outcome.apiKeyID == nil ? 0 : 1)
                replayed += 1
                return true
            }
            guard replayed == total else { throw ValidationFailure("replayed \(replayed) of \(total) outcomes") }
        }
        var rounds = (raw: [UInt64](), scan: [UInt64](), replay: [UInt64](), readAhead: [UInt64]())
        for _ in 0 ..< readRounds {
            var baselineRead = (records: 0, bytes: 0)
            rounds.raw.append(try measure { baselineRead = try baseline.scan() })
            guard baselineRead.records == count else { throw ValidationFailure("baseline read \(baselineRead.records) of \(count)") }
            rounds.scan.append(try measure {
                try log.scan(.traffic, after: start, readingAhead: false) { record in
                    scanned &+= Int(record.kind)
                    return true
                }
            })
            rounds.replay.append(try measure { try replay(readingAhead: false) })
            rounds.readAhead.append(try measure { try replay(readingAhead: true) })
        }
        func median(_ samples: [UInt64]) -> UInt64 { samples.sorted()[samples.count / 2] }
        let (baselineScanNanos, scanNanos, replayNanos, readAheadNanos) = (median(rounds.raw), median(rounds.scan), median(rounds.replay), median(rounds.readAhead))
        // And into owned values, every string copied out.
        var owned = 0
        let ownedNanos = try measure {
            try log.scan(.traffic, after: start, readingAhead: false) { record in
                owned &+= try RequestCompleted(record).path.utf8.count
                return true
            }
        }

        func perSecond(_ events: Int, _ nanos: UInt64) -> Int { Int(Double(events) / (Double(nanos) / 1e9)) }
        func seconds(_ nanos: UInt64) -> String { String(format: "%.3f", Double(nanos) / 1e9) }
        let appendsPerSecond = perSecond(count, pipelineNanos)
        let replayPerSecond = perSecond(total, readAheadNanos)
        let baselineAppends = perSecond(count, baselineAppendNanos)
        let baselineReads = perSecond(count, baselineScanNanos)
        func ratio(_ value: Int, _ base: Int) -> String { String(format: "%.2f", Double(value) / Double(base)) }
        var table = TextTable("measure", "events", "seconds", "events/s", "× raw LMDB")
        table.add("raw LMDB put, same bytes (fsync per \(batch))", count.grouped, seconds(baselineAppendNanos), baselineAppends.grouped, "1.00")
        table.add("append via OutcomeRecorder (fsync per \(batch))", count.grouped, seconds(pipelineNanos), appendsPerSecond.grouped,
                  ratio(appendsPerSecond, baselineAppends))
        let single = perSecond(count, singleNanos)
        table.add("append on one thread (fsync per \(batch))", count.grouped, seconds(singleNanos), single.grouped, ratio(single, baselineAppends))
        table.add("raw LMDB cursor read", count.grouped, seconds(baselineScanNanos), baselineReads.grouped, "1.00")
        let scan = perSecond(total, scanNanos)
        table.add("scan (read + CRC, no decode)", total.grouped, seconds(scanNanos), scan.grouped, ratio(scan, baselineReads))
        let oneThread = perSecond(total, replayNanos)
        table.add("replay (read + CRC + in-place decode), one thread", total.grouped, seconds(replayNanos), oneThread.grouped, ratio(oneThread, baselineReads))
        table.add("replay, reading ahead on a second thread", total.grouped, seconds(readAheadNanos), replayPerSecond.grouped,
                  ratio(replayPerSecond, baselineReads))
        let ownedRate = perSecond(total, ownedNanos)
        table.add("replay (read + CRC + owned decode)", total.grouped, seconds(ownedNanos), ownedRate.grouped, ratio(ownedRate, baselineReads))
        print(table.rendered)
        let fileBytes = (try? FileManager.default.attributesOfItem(atPath: log.directory + "/data.mdb")[.size] as? NSNumber)?.intValue ?? 0
        print("\(statistics.commits) recorder commits; log file \(fileBytes.grouped) bytes; checksums \(checksum) \(scanned) \(owned)")
        print("{\"appends_per_s\": \(appendsPerSecond), \"replay_per_s\": \(replayPerSecond)}")
    }

    private func measure(_ body: () throws -> Void) rethrows -> UInt64 {
        let began = DispatchTime.now().uptimeNanoseconds
        try body()
        return DispatchTime.now().uptimeNanoseconds - began
    }
}
