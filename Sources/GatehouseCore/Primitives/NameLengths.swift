/// The byte lengths of a set of field names, as the bits of one word: a name whose length is
/// not among them is ruled out without comparing it with each name of the set (names of 63
/// bytes and more share the top bit, so they are never ruled out).
public struct NameLengths: Sendable {
    @usableFromInline var bits: UInt64 = 0

    public init() {}

    public init(_ names: some Sequence<String>) {
        for name in names { insert(name) }
    }

    public mutating func insert(_ name: String) {
        insert(length: name.utf8.count)
    }

    public mutating func insert(length: Int) {
        bits |= Self.bit(length)
    }

    /// Whether a name `length` bytes long may be in the set (`false`: it certainly is not).
    @inlinable
    public func mayContain(length: Int) -> Bool {
        bits & Self.bit(length) != 0
    }

    @inlinable
    static func bit(_ length: Int) -> UInt64 {
        1 << UInt64(min(length, 63))
    }
}
