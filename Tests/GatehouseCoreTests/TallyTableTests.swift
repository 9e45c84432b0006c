import EventLog
import Testing

@testable import GatehouseCore

/// The open minute's and hour's tallies: latencies collected and added in sorted runs must
/// count exactly as recording each one would.
@Suite("tally table")
struct TallyTableTests {
    @Test("collected latencies equal recording each, read mid-way and across the collection limit")
    func collectedLatencies() throws {
        var traffic = SyntheticTraffic(seed: 5)
        var table = TallyTable()
        var expected: [MetricDimension: MetricTally] = [:]
        let dimensions: [MetricDimension] = [.all, .status(200), .status(404)]
        for index in 0 ..< 10_000 {
            let outcome = traffic.next(at: Timestamp(microseconds: 1_800_000_000_000_000 + Int64(index) * 1_000))
            let append = outcome.trafficAppend()
            try append.record.withUnsafeBytes { bytes in
                let view = try RequestCompletedView(RecordCodec.view(of: bytes, sequence: SequenceNumber(index + 1), stream: .traffic))
                for dimension in dimensions where dimension == .all || dimension == .status(outcome.status) {
                    table.add(view, to: dimension, histogram: dimension == .all)
                    expected[dimension, default: MetricTally()].add(view, histogram: dimension == .all)
                }
            }
            if index == 2_500 { #expect(table.dictionary == expected) }
        }
        #expect(table.dictionary == expected)
        #expect(table.dictionary[.all]?.latency.total == 10_000)
        table.removeAll()
        #expect(table.isEmpty && table.tallies.isEmpty)
    }

    @Test("latencies counted in blocks (busy tallies) or collected (the rest) add up to recording each — mid-way reads, clears, reuse, buckets past the blocks, more busy tallies than blocks")
    func latencyCollector() {
        var random = SplitMix64(seed: 11)
        var collector = LatencyCollector()
        let tallyCount = 400
        var tallies = Array(repeating: MetricTally(), count: tallyCount)
        var expected = Array(repeating: [UInt16: UInt64](), count: tallyCount)
        func histogram(_ counts: [UInt16: UInt64]) -> LatencyHistogram {
            var histogram = LatencyHistogram()
            for bucket in counts.keys.sorted() { histogram.append(bucket: bucket, count: counts[bucket]!) }
            return histogram
        }
        for round in 0 ..< 3 {
            for _ in 0 ..< 60_000 {
                // Most values to a few tallies, each of the 400 some (over 64 each: more busy tallies than blocks).
                let tally = random.next() % 3 == 0 ? Int(random.next() % 4) : Int(random.next() % UInt64(tallyCount))
                let bucket = UInt16(random.next() % (random.next() % 50 == 0 ? 4_000 : 900))
                collector.record(bucket: bucket, tally: tally)
                expected[tally][bucket, default: 0] += 1
            }
            var copy = collector
            var read = tallies
            copy.add(to: &read)
            #expect(read.map(\.latency) == expected.map(histogram), "read mid-way, round \(round)")
            collector.add(to: &tallies)
            collector.clear(keepingBlocks: true)
            #expect(collector.isEmpty)
            #expect(tallies.map(\.latency) == expected.map(histogram), "round \(round)")
        }
        collector.clear(keepingBlocks: false)
        var fresh = Array(repeating: MetricTally(), count: 3)
        for value in [5, 5, 3_000, 700] { collector.record(bucket: UInt16(value), tally: value == 700 ? 2 : 0) }
        collector.add(to: &fresh)
        #expect(fresh[0].latency == histogram([5: 2, 3_000: 1]) && fresh[1].latency.total == 0 && fresh[2].latency == histogram([700: 1]))
    }

    @Test("radix sort orders like sort, for small and large keys, duplicates and zeros")
    func radixSort() {
        var random = SplitMix64(seed: 3)
        var scratch: [UInt64] = []
        for (count, bits) in [(0, 8), (1, 8), (1_000, 11), (5_000, 27), (3_000, 64)] {
            var values = (0 ..< count).map { _ in bits == 64 ? random.next() : random.next() % (1 << UInt64(bits)) }
            values += [0, 0, values.first ?? 5]
            let sorted = values.sorted()
            values.radixSort(scratch: &scratch)
            #expect(values == sorted, "\(count) values of \(bits) bits")
        }
    }
}
