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
