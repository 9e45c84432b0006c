/// Latencies on their way into the histograms of a ``TallyTable``'s tallies. Recording one
/// value into a sparse sorted histogram costs a search and, for a new bucket, an insertion into
/// two arrays; so values are collected here and added in one merge per tally. A tally that
/// has taken ``denseAfter`` values counts the rest directly in a block of counters, one per
/// bucket, with a bitmap of the buckets used (a minute's or hour's busiest tallies — everything,
/// a gateway, a route — take most values, at an increment each); the other tallies' values are
/// collected as `(tally, bucket)` words and radix-sorted into runs when added.
struct LatencyCollector: Sendable {
    /// Collected words: the tally's index above the low 16 bits, the bucket index in them.
    private var pending: [UInt64] = []
    private var sortScratch: [UInt64] = []
    /// Per tally: its block of counters (≥ 0), or minus one minus how many values it has had.
    private var blocks: [Int32] = []
    /// The blocks' counters, ``blockBuckets`` per block.
    private var counters: [UInt32] = []
    /// The blocks' bitmaps of buckets counted, ``bitmapWords`` per block.
    private var bitmaps: [UInt64] = []
    /// The tally each block counts for.
    private var blockTallies: [Int32] = []

    /// Buckets a block has counters for: values up to about a minute (bucket indexes of larger
    /// values are collected).
    private static let blockBuckets = 2048
    private static let bitmapWords = blockBuckets / 64
    /// Values a tally takes before it gets a block.
    static let denseAfter = 64
    /// Blocks at most (8 KiB each, 2 MiB in all); later tallies keep being collected.
    private static let blockLimit = 256

    /// Whether enough words were collected that adding them now is due: at least 4,096 and
    /// sixteen per tally — adding merges into every histogram the words touch.
    func isDue(tallies: Int) -> Bool { pending.count >= max(4096, 16 * tallies) }

    /// Whether nothing waits to be added.
    var isEmpty: Bool { pending.isEmpty && !hasCounts }
    /// Whether a block has counted since it was last cleared.
    private var hasCounts = false

    /// Counts a value in `bucket` (``LatencyHistogram/index(of:)``) for the tally at `tally`.
    @inline(__always)
    mutating func record(bucket: UInt16, tally: Int) {
        while blocks.count <= tally { blocks.append(-1) }
        let block = blocks[tally]
        if block >= 0, Int(bucket) < Self.blockBuckets {
            let counter = Int(block) * Self.blockBuckets + Int(bucket)
            hasCounts = true
            if counters[counter] == 0 { bitmaps[Int(block) * Self.bitmapWords + Int(bucket) >> 6] |= 1 << UInt64(bucket & 63) }
            counters[counter] += 1
            return
        }
        pending.append(UInt64(tally) << 16 | UInt64(bucket))
        guard block < 0 else { return }
        blocks[tally] = block - 1
        if -Int(block) >= Self.denseAfter, blockTallies.count < Self.blockLimit { addBlock(for: tally) }
    }

    private mutating func addBlock(for tally: Int) {
        blocks[tally] = Int32(blockTallies.count)
        blockTallies.append(Int32(tally))
        if counters.count < blockTallies.count * Self.blockBuckets {
            counters.append(contentsOf: repeatElement(0, count: Self.blockBuckets))
            bitmaps.append(contentsOf: repeatElement(0, count: Self.bitmapWords))
        }
    }

    /// Adds everything counted to the histograms of `tallies` (indexed as recorded). Only the
    /// collected words are touched (sorted in place), so a copy made to read a table mid-way
    /// shares the blocks.
    mutating func add(to tallies: inout [MetricTally]) {
        for (block, tally) in blockTallies.enumerated() {
            var run = LatencyHistogram()
            for word in 0 ..< Self.bitmapWords {
                var bits = bitmaps[block * Self.bitmapWords + word]
                while bits != 0 {
                    let bucket = word * 64 + bits.trailingZeroBitCount
                    bits &= bits - 1
                    run.append(bucket: UInt16(bucket), count: UInt64(counters[block * Self.blockBuckets + bucket]))
                }
            }
            tallies[Int(tally)].latency.merge(run)
        }
        pending.radixSort(scratch: &sortScratch)
        var start = 0
        while start < pending.count {
            let tally = pending[start] >> 16
            var end = start + 1
            while end < pending.count, pending[end] >> 16 == tally { end += 1 }
            tallies[Int(tally)].latency.add(sortedBucketIndexes: pending[start ..< end].lazy.map { UInt16(truncatingIfNeeded: $0) })
            start = end
        }
    }

    /// Forgets what was counted (after ``add(to:)``), keeping the room; the tallies keep their
    /// blocks unless they are forgotten too (the table was emptied).
    mutating func clear(keepingBlocks: Bool) {
        pending.removeAll(keepingCapacity: true)
        hasCounts = false
        for block in blockTallies.indices {
            for word in 0 ..< Self.bitmapWords where bitmaps[block * Self.bitmapWords + word] != 0 {
                bitmaps[block * Self.bitmapWords + word] = 0
                let first = block * Self.blockBuckets + word * 64
                for counter in first ..< first + 64 { counters[counter] = 0 }
            }
        }
        guard !keepingBlocks else { return }
        blocks.removeAll(keepingCapacity: true)
        blockTallies.removeAll(keepingCapacity: true)
    }
}
