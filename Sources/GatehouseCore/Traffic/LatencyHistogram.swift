/// A mergeable latency histogram in the HDR style: values (microseconds) below 128 are counted
/// exactly, larger ones in buckets 1/64 of their magnitude wide — so any percentile read from
/// it is within 1.6% of the exact value, whatever the range, and two histograms merge by adding
/// counts. Sparse: only buckets that saw a value take space.
public struct LatencyHistogram: Sendable, Hashable, Codable {
    /// Bucket indexes that saw a value, ascending, and their counts.
    public internal(set) var indexes: [UInt16] = []
    public internal(set) var counts: [UInt64] = []
    public internal(set) var total: UInt64 = 0

    public init() {}

    /// Counts one value.
    public mutating func record(_ micros: Int64) {
        let index = Self.index(of: UInt64(max(0, micros)))
        total += 1
        // Binary search: a minute's latencies fall in a few dozen buckets.
        var low = 0
        var high = indexes.count
        while low < high {
            let middle = (low + high) / 2
            if indexes[middle] < index { low = middle + 1 } else { high = middle }
        }
        if low < indexes.count, indexes[low] == index {
            counts[low] += 1
        } else {
            indexes.insert(index, at: low)
            counts.insert(1, at: low)
        }
    }

    /// Counts the values whose bucket indexes (``index(of:)``) `sorted` lists in ascending order:
    /// recording a value costs a binary search and, for a bucket not yet seen, an insertion into
    /// both lists — callers that record many values at once collect their indexes and add them
    /// here, one merge for all.
    mutating func add(sortedBucketIndexes sorted: some Collection<UInt16>) {
        var run = LatencyHistogram()
        run.indexes.reserveCapacity(sorted.count)
        run.counts.reserveCapacity(sorted.count)
        for index in sorted {
            if run.indexes.last == index { run.counts[run.counts.count - 1] += 1 } else {
                run.indexes.append(index)
                run.counts.append(1)
            }
        }
        run.total = UInt64(sorted.count)
        merge(run)
    }

    /// Adds everything `other` counted: a merge of two sorted lists, in place (from the back,
    /// after making room for the buckets only `other` has). When `other` has no bucket this
    /// one lacks — most merges into a long period's histogram — its counts are added where they
    /// stand, in the pass that finds that out.
    public mutating func merge(_ other: LatencyHistogram) {
        guard other.total > 0 else { return }
        guard total > 0 else { return self = other }
        // `other`'s buckets before `first` are added already.
        var (first, mine) = addCountsOfSharedBuckets(other)
        total += other.total
        guard first < other.indexes.count else { return }
        var added = 0
        for index in other.indexes[first...] {
            while mine < indexes.count, indexes[mine] < index { mine += 1 }
            if mine == indexes.count || indexes[mine] != index { added += 1 }
        }
        var read = indexes.count - 1
        var write = indexes.count + added - 1
        if added > 0 {
            indexes.append(contentsOf: repeatElement(0, count: added))
            counts.append(contentsOf: repeatElement(0, count: added))
        }
        var theirs = other.indexes.count - 1
        indexes.withUnsafeMutableBufferPointer { indexes in
            counts.withUnsafeMutableBufferPointer { counts in
                other.indexes.withUnsafeBufferPointer { otherIndexes in
                    other.counts.withUnsafeBufferPointer { otherCounts in
                        // Once the buckets only `other` has are placed, the rest stand where they are.
                        while theirs >= first {
                            if read >= 0, indexes[read] > otherIndexes[theirs] {
                                indexes[write] = indexes[read]
                                counts[write] = counts[read]
                                read -= 1
                            } else if read >= 0, indexes[read] == otherIndexes[theirs] {
                                counts[write] = counts[read] + otherCounts[theirs]
                                indexes[write] = indexes[read]
                                read -= 1
                                theirs -= 1
                            } else {
                                indexes[write] = otherIndexes[theirs]
                                counts[write] = otherCounts[theirs]
                                theirs -= 1
                            }
                            write -= 1
                        }
                    }
                }
            }
        }
    }

    /// Adds the counts of `other`'s buckets, in order, to this one's as long as this one has
    /// them; returns how many it added (all of them, or up to the first bucket it lacks) and
    /// where in this one's buckets that first lacking one would go.
    private mutating func addCountsOfSharedBuckets(_ other: LatencyHistogram) -> (added: Int, position: Int) {
        indexes.withUnsafeBufferPointer { indexes in
            counts.withUnsafeMutableBufferPointer { counts in
                other.indexes.withUnsafeBufferPointer { otherIndexes in
                    other.counts.withUnsafeBufferPointer { otherCounts in
                        var mine = 0
                        for position in otherIndexes.indices {
                            let index = otherIndexes[position]
                            while mine < indexes.count, indexes[mine] < index { mine += 1 }
                            guard mine < indexes.count, indexes[mine] == index else { return (position, mine) }
                            counts[mine] += otherCounts[position]
                        }
                        return (otherIndexes.count, mine)
                    }
                }
            }
        }
    }

    /// The value at `quantile` (0…1) by nearest rank: the middle of its bucket (0 when empty).
    public func value(at quantile: Double) -> Int64 {
        guard total > 0 else { return 0 }
        let rank = max(1, UInt64((quantile * Double(total)).rounded(.up)))
        var seen: UInt64 = 0
        for (position, count) in counts.enumerated() {
            seen += count
            if seen >= rank { return Self.representative(of: indexes[position]) }
        }
        return Self.representative(of: indexes[indexes.count - 1])
    }

    /// How many values were at most each of `bounds` (ascending, microseconds), judged by the
    /// middle of their bucket — cumulative counts for Prometheus `le` buckets.
    public func cumulativeCounts(atMost bounds: [Int64]) -> [UInt64] {
        var result: [UInt64] = []
        result.reserveCapacity(bounds.count)
        var position = 0
        var seen: UInt64 = 0
        for bound in bounds {
            while position < indexes.count, Self.representative(of: indexes[position]) <= bound {
                seen += counts[position]
                position += 1
            }
            result.append(seen)
        }
        return result
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
