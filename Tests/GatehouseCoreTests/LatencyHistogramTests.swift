import GatehouseCore
import Testing

/// The histogram's precision and merging.
@Suite("latency histogram")
struct LatencyHistogramTests {
    @Test("percentiles are within 1/64 of the exact nearest-rank values, over six orders of magnitude")
    func precision() {
        var random = SplitMix64(seed: 11)
        var values: [Int64] = []
        var histogram = LatencyHistogram()
        for _ in 0 ..< 50_000 {
            let magnitude = Int64(1) << Int64(random.next() % 20)  // 1 µs … 0.5 s
            let value = magnitude + Int64(random.next() % UInt64(magnitude))
            values.append(value)
            histogram.record(value)
        }
        values.sort()
        for quantile in [0.5, 0.9, 0.95, 0.99, 0.999] {
            let exact = Double(values[Int((quantile * Double(values.count)).rounded(.up)) - 1])
            let estimate = Double(histogram.value(at: quantile))
            #expect(abs(estimate - exact) <= exact / 64 + 1, "q\(quantile): \(estimate) vs \(exact)")
        }
        #expect(histogram.total == 50_000)
        #expect(LatencyHistogram().value(at: 0.5) == 0)
    }

    @Test("merging equals recording everything into one")
    func merging() {
        var one = LatencyHistogram()
        var two = LatencyHistogram()
        var both = LatencyHistogram()
        for value in stride(from: Int64(1), to: 200_000, by: 37) {
            if value % 3 == 0 { one.record(value) } else { two.record(value) }
            both.record(value)
        }
        var merged = one
        merged.merge(two)
        #expect(merged == both)
        var empty = LatencyHistogram()
        empty.merge(both)
        #expect(empty == both)
    }

    @Test("merges where the other side's buckets are all here, partly here (from any point on) or interleaved equal recording each value")
    func mergingSharedBuckets() {
        var random = SplitMix64(seed: 17)
        for round in 0 ..< 300 {
            var large = LatencyHistogram()
            var small = LatencyHistogram()
            var both = LatencyHistogram()
            let spread = UInt64([50, 2_000, 200_000][round % 3])
            for _ in 0 ..< 400 {
                let value = Int64(random.next() % spread)
                large.record(value)
                both.record(value)
            }
            // The small side draws mostly from values seen, sometimes from new ones anywhere.
            for _ in 0 ..< Int(random.next() % 40) + 1 {
                let value = random.next() % 5 == 0 ? Int64(random.next() % (spread * 2)) : Int64(random.next() % spread)
                small.record(value)
                both.record(value)
            }
            var merged = large
            merged.merge(small)
            #expect(merged == both, "round \(round)")
            var reversed = small
            reversed.merge(large)
            #expect(reversed == both, "round \(round), other way round")
        }
    }
}
