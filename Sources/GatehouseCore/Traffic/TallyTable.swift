/// Tallies by dimension for the open minute and hour of ``MetricsBuckets``: an open-addressing
/// table probed with each dimension's ``MetricDimension/word`` — every outcome updates ten or
/// so tallies here, so this is the fold's hot path, where a `Dictionary` (SipHash per lookup)
/// cost most. Tallies are kept in insertion order. Latencies are not recorded into the
/// histograms one by one (a sorted insertion each): a ``LatencyCollector`` gathers them and adds
/// them when the table is read or enough were gathered.
struct TallyTable: Sendable {
    private(set) var dimensions: [MetricDimension] = []
    /// Each dimension's ``MetricDimension/word``, in the same order.
    private var words: [UInt64] = []
    /// The tallies, without the latencies still in `latencies`.
    private var counted: [MetricTally] = []
    private var latencies = LatencyCollector()
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
        guard !latencies.isEmpty else { return counted }
        var (result, collected) = (counted, latencies)
        collected.add(to: &result)
        return result
    }

    /// The tallies as a dictionary (what the stored buckets hold).
    var dictionary: [MetricDimension: MetricTally] { Dictionary(uniqueKeysWithValues: zip(dimensions, tallies)) }

    /// Counts `outcome` in `dimension`'s tally.
    mutating func add(_ outcome: RequestCompletedView, to dimension: MetricDimension, histogram: Bool) {
        let index = index(of: dimension)
        counted[index].add(outcome, histogram: false)
        guard histogram else { return }
        latencies.record(bucket: LatencyHistogram.index(of: UInt64(max(0, outcome.totalMicros))), tally: index)
        if latencies.isDue(tallies: counted.count) { addPendingLatencies() }
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
        latencies.clear(keepingBlocks: false)
        for slot in slots.indices { slots[slot] = 0 }
    }

    /// Adds the collected latencies to their histograms.
    mutating func addPendingLatencies() {
        latencies.add(to: &counted)
        latencies.clear(keepingBlocks: true)
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
