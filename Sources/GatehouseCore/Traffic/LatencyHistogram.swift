/// A mergeable latency histogram in the HDR style: values (microseconds) below 128 are counted
/// exactly, larger ones in buckets 1/64 of their magnitude wide — so any percentile read from
/// it is within 1.6% of the exact value, whatever the range, and two histograms merge by adding
/// counts. Sparse: only buckets that saw a value take space.
public struct LatencyHistogram: Sendable, Hashable, Codable {
    /// Count per bucket index.
    public private(set) var counts: [UInt16: UInt64] = [:]
    public private(set) var total: UInt64 = 0

    public init() {}

    /// Counts one value.
    public mutating func record(_ micros: Int64) {
        counts[Self.index(of: UInt64(max(0, micros))), default: 0] += 1
        total += 1
    }

    /// Adds everything `other` counted.
    public mutating func merge(_ other: LatencyHistogram) {
        for (index, count) in other.counts { counts[index, default: 0] += count }
        total += other.total
    }

    /// The value at `quantile` (0…1) by nearest rank: the middle of its bucket (0 when empty).
    public func value(at quantile: Double) -> Int64 {
        guard total > 0 else { return 0 }
        let rank = max(1, UInt64((quantile * Double(total)).rounded(.up)))
        var seen: UInt64 = 0
        for index in counts.keys.sorted() {
            seen += counts[index]!
            if seen >= rank { return Self.representative(of: index) }
        }
        return Self.representative(of: counts.keys.max()!)
    }

    /// Bucket of a value: exact below 128; above, 64 buckets per power of two.
    static func index(of value: UInt64) -> UInt16 {
        guard value >= 128 else { return UInt16(value) }
        let shift = (63 - value.leadingZeroBitCount) - 6  // value >> shift lies in 64…127
        return UInt16(min(Int(UInt16.max), 128 + (shift - 1) * 64 + Int(value >> UInt64(shift)) - 64))
    }

    /// The middle of a bucket's range.
    static func representative(of index: UInt16) -> Int64 {
        guard index >= 128 else { return Int64(index) }
        let shift = Int(index - 128) / 64 + 1
        let mantissa = Int64(Int(index - 128) % 64 + 64)
        return (mantissa << Int64(shift)) + (Int64(1) << Int64(shift)) / 2
    }
}
