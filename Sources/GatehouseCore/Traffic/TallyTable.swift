/// Tallies by dimension for the open minute and hour of ``MetricsBuckets``: an open-addressing
/// table probed with each dimension's ``MetricDimension/word`` — every outcome updates ten or
/// so tallies here, so this is the fold's hot path, where a `Dictionary` (SipHash per lookup)
/// cost most. Tallies are kept in insertion order.
struct TallyTable: Sendable {
    private(set) var dimensions: [MetricDimension] = []
    private(set) var tallies: [MetricTally] = []
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

    /// The tallies as a dictionary (what the stored buckets hold).
    var dictionary: [MetricDimension: MetricTally] { Dictionary(uniqueKeysWithValues: zip(dimensions, tallies)) }

    /// Counts `outcome` in `dimension`'s tally.
    mutating func add(_ outcome: RequestCompletedView, to dimension: MetricDimension, histogram: Bool) {
        let index = index(of: dimension)
        tallies[index].add(outcome, histogram: histogram)
    }

    /// Adds `tally` to `dimension`'s.
    mutating func merge(_ tally: MetricTally, for dimension: MetricDimension) {
        let index = index(of: dimension)
        tallies[index].merge(tally)
    }

    /// Empties the table, keeping its room.
    mutating func removeAll() {
        dimensions.removeAll(keepingCapacity: true)
        tallies.removeAll(keepingCapacity: true)
        for slot in slots.indices { slots[slot] = 0 }
    }

    /// The index of `dimension`'s tally, added empty when absent.
    private mutating func index(of dimension: MetricDimension) -> Int {
        let mask = slots.count - 1
        var slot = home(of: dimension)
        while true {
            let entry = Int(slots[slot])
            if entry == 0 { break }
            if dimensions[entry - 1] == dimension { return entry - 1 }
            slot = (slot + 1) & mask
        }
        dimensions.append(dimension)
        tallies.append(MetricTally())
        slots[slot] = Int32(dimensions.count)
        if dimensions.count * 2 > slots.count { grow() }
        return dimensions.count - 1
    }

    private mutating func grow() {
        slots = Array(repeating: 0, count: slots.count * 2)
        shift -= 1
        let mask = slots.count - 1
        for (position, dimension) in dimensions.enumerated() {
            var slot = home(of: dimension)
            while slots[slot] != 0 { slot = (slot + 1) & mask }
            slots[slot] = Int32(position + 1)
        }
    }

    /// The slot a dimension's probe starts at (Fibonacci hashing of its word).
    private func home(of dimension: MetricDimension) -> Int {
        Int(truncatingIfNeeded: (dimension.word &* 0x9E37_79B9_7F4A_7C15) >> shift)
    }
}
