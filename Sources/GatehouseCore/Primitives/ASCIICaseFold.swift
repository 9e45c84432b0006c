/// Byte runs compared ignoring ASCII case eight bytes at a time, as HTTP compares field names
/// and tokens: a word's capital letters are lowered all at once (SWAR), other bytes — digits,
/// punctuation, anything outside ASCII — stay as they are, so the comparison is exact.
@usableFromInline
enum ASCIICaseFold {
    @usableFromInline static let ones: UInt64 = 0x0101_0101_0101_0101

    /// `word` with each byte from `A` to `Z` lowered.
    @inlinable @inline(__always)
    static func lowered(_ word: UInt64) -> UInt64 {
        let heptets = word & (0x7F &* ones)
        let fromA = heptets &+ ((0x80 - 0x41) &* ones)  // a byte's top bit: at least `A`
        let pastZ = heptets &+ ((0x80 - 0x5B) &* ones)  // a byte's top bit: past `Z`
        let capitals = fromA & ~pastZ & ~word & (0x80 &* ones)  // ASCII bytes only
        return word | (capitals &>> 2)
    }

    /// Whether the `count` bytes at `mine` and `theirs` are equal ignoring ASCII case.
    @inlinable
    static func equal(_ mine: UnsafeRawPointer, _ theirs: UnsafeRawPointer, count: Int) -> Bool {
        var offset = 0
        while offset &+ 8 <= count {
            let left = mine.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
            let right = theirs.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
            if left != right, lowered(left) != lowered(right) { return false }
            offset &+= 8
        }
        while offset < count {
            guard asciiCaseFoldedEqual(mine.load(fromByteOffset: offset, as: UInt8.self), theirs.load(fromByteOffset: offset, as: UInt8.self)) else { return false }
            offset &+= 1
        }
        return true
    }
}
