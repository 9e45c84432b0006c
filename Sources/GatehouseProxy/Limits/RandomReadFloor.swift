import Dispatch

/// The floor under any check of state spread over many keys: one read at a random place in
/// memory as large as that state. Measured as a chase through one random cycle over the
/// memory's cache lines — each read's address comes from the read before, so the reads cannot
/// overlap, as the reads of successive checks of unrelated keys effectively cannot either.
enum RandomReadFloor {
    /// Median nanoseconds per read over `bytes` of memory: `reads` reads, timed in batches of
    /// `batch`.
    static func measure(bytes: Int, reads: Int, batch: Int) -> Double {
        let wordsPerLine = 8
        let lines = max(2, bytes / (wordsPerLine * MemoryLayout<Int>.stride))
        let next = UnsafeMutablePointer<Int>.allocate(capacity: lines * wordsPerLine)
        defer { next.deallocate() }
        next.initialize(repeating: 0, count: lines * wordsPerLine)
        // Sattolo's shuffle: a random permutation that is one cycle through every line.
        var order = Array(0 ..< lines)
        var random = SystemRandomNumberGenerator()
        for index in stride(from: lines - 1, to: 0, by: -1) {
            order.swapAt(index, Int.random(in: 0 ..< index, using: &random))
        }
        for line in 0 ..< lines { next[line * wordsPerLine] = order[line] * wordsPerLine }

        var perRead: [Double] = []
        var position = 0
        for start in stride(from: 0, to: reads, by: batch) {
            let count = min(batch, reads - start)
            let began = DispatchTime.now().uptimeNanoseconds
            for _ in 0 ..< count { position = next[position] }
            perRead.append(Double(DispatchTime.now().uptimeNanoseconds - began) / Double(count))
        }
        precondition(position >= 0)
        perRead.sort()
        return perRead.isEmpty ? 0 : perRead[perRead.count / 2]
    }
}
