extension Array where Element == UInt64 {
    /// Sorts ascending by least-significant-digit radix sort, a byte per pass and only as many
    /// passes as the largest element has bytes — for many small keys (a few thousand values
    /// below 2²⁴, say) it is several times faster than a comparison sort. `scratch` is working
    /// room, reused across calls.
    public mutating func radixSort(scratch: inout [UInt64]) {
        guard count > 1 else { return }
        let largest = self.max() ?? 0
        let passes = (64 - largest.leadingZeroBitCount + 7) / 8
        guard passes > 0 else { return }
        if scratch.count < count { scratch = Array(repeating: 0, count: count) }
        var counts = [Int](repeating: 0, count: 256)
        for pass in 0 ..< passes {
            let shift = UInt64(pass * 8)
            for index in counts.indices { counts[index] = 0 }
            for value in self { counts[Int((value >> shift) & 0xFF)] += 1 }
            var start = 0
            for digit in 0 ..< 256 {
                let digitCount = counts[digit]
                counts[digit] = start
                start += digitCount
            }
            for value in self {
                let digit = Int((value >> shift) & 0xFF)
                scratch[counts[digit]] = value
                counts[digit] += 1
            }
            for index in indices { self[index] = scratch[index] }
        }
    }
}
