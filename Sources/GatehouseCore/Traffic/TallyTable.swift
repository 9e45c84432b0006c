/// Tallies by dimension for the open minute and hour of ``MetricsBuckets``: an open-addressing
/// table probed with each dimension's ``MetricDimension/word`` — every outcome updates ten or
/// so tallies here, so this is the fold's hot path, where a `Dictionary` (SipHash per lookup)
/// cost most. Tallies are kept in insertion order. Latencies are not recorded into the
/// histograms one by one (a sorted insertion each): their bucket indexes are collected and
/// added in one sorted merge per tally when the table is read or the collection grows large.
struct TallyTable: Sendable {
    private(set) var dimensions: [MetricDimension] = []
    /// Each dimension's ``MetricDimension/word``, in the same order.
    private var words: [UInt64] = []
    /// The tallies, without the latencies still in `pendingLatencies`.
    private var counted: [MetricTally] = []
    /// Latencies not yet in their histograms: the tally's index above the low 16 bits, the
    /// histogram's bucket index in them.
    private var pendingLatencies: [UInt64] = []
    private var sortScratch: [UInt64] = []
    /// How many latencies are collected, at least, before they are added to their histograms —
    /// and sixteen per tally: adding them merges into every histogram they touch, so a table of
    /// many tallies (an hour's consumers) adds them less often.
    private static let pendingLimit = 4096
    /// Index into `dimensions` + 1 (0: empty), for a power-of-two number of slots.
    private var slots: [Int32]
    private var shift: UInt64

    init() {
        slots = Array(repeating: 0, count: 64)
        shift = 64 - 6
    }

    init(_ tallies: [MetricDimension: MetricTally]) {
        self.init()
        for (dimension, tally) in tallies { merge(tally, for: dimension) }
    }

    var isEmpty: Bool { dimensions.isEmpty }

    /// The tallies, in the order of `dimensions` (with collected latencies added to a copy —
    /// a table about to be stored calls ``addPendingLatencies()`` first, so nothing is copied).
    var tallies: [MetricTally] {
        guard !pendingLatencies.isEmpty else { return counted }
        var flushed = self
        flushed.addPendingLatencies()
        return flushed.counted
    }

    /// The tallies as a dictionary (what the stored buckets hold).
    var dictionary: [MetricDimension: MetricTally] { Dictionary(uniqueKeysWithValues: zip(dimensions, tallies)) }

    /// Counts `outcome` in `dimension`'s tally.
    mutating func add(_ outcome: RequestCompletedView, to dimension: MetricDimension, histogram: Bool) {
        let index = index(of: dimension)
        counted[index].add(outcome, histogram: false)
        guard histogram else { return }
        pendingLatencies.append(UInt64(index) << 16 | UInt64(LatencyHistogram.index(of: UInt64(max(0, outcome.totalMicros)))))
        if pendingLatencies.count >= max(Self.pendingLimit, 16 * counted.count) { addPendingLatencies() }
    }

    /// Adds `tally` to `dimension`'s.
    mutating func merge(_ tally: MetricTally, for dimension: MetricDimension) {
        let index = index(of: dimension)
        counted[index].merge(tally)
    }

    /// Empties the table, keeping its room.
    mutating func removeAll() {
        dimensions.removeAll(keepingCapacity: true)
        words.removeAll(keepingCapacity: true)
        counted.removeAll(keepingCapacity: true)
        pendingLatencies.removeAll(keepingCapacity: true)
        for slot in slots.indices { slots[slot] = 0 }
    }

    /// Adds the collected latencies to their histograms: sorted, they come in runs per tally,
    /// each run ascending by bucket.
    mutating func addPendingLatencies() {
        pendingLatencies.radixSort(scratch: &sortScratch)
        var start = 0
        while start < pendingLatencies.count {
            let tally = pendingLatencies[start] >> 16
            var end = start + 1
            while end < pendingLatencies.count, pendingLatencies[end] >> 16 == tally { end += 1 }
            counted[Int(tally)].latency.add(sortedBucketIndexes: pendingLatencies[start ..< end].lazy.map { UInt16(truncatingIfNeeded: $0) })
            start = end
        }
        pendingLatencies.removeAll(keepingCapacity: true)
    }

    /// The index of `dimension`'s tally, added empty when absent. Entries are compared by
    /// their words first: the full comparison runs only for the entry that is most likely it.
    private mutating func index(of dimension: MetricDimension) -> Int {
        let word = dimension.word
        let mask = slots.count - 1
        var slot = home(of: word)
        while true {
            let entry = Int(slots[slot])
            if entry == 0 { break }
            if words[entry - 1] == word, dimensions[entry - 1] == dimension { return entry - 1 }
            slot = (slot + 1) & mask
        }
        dimensions.append(dimension)
        words.append(word)
        counted.append(MetricTally())
        slots[slot] = Int32(dimensions.count)
        if dimensions.count * 2 > slots.count { grow() }
        return dimensions.count - 1
    }

    private mutating func grow() {
        slots = Array(repeating: 0, count: slots.count * 2)
        shift -= 1
        let mask = slots.count - 1
        for (position, word) in words.enumerated() {
            var slot = home(of: word)
            while slots[slot] != 0 { slot = (slot + 1) & mask }
            slots[slot] = Int32(position + 1)
        }
    }

    /// The slot a probe for a dimension's word starts at (Fibonacci hashing).
    private func home(of word: UInt64) -> Int {
        Int(truncatingIfNeeded: (word &* 0x9E37_79B9_7F4A_7C15) >> shift)
    }
}
