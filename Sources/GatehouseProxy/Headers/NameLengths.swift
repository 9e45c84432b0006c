/// The byte lengths of a set of field names, as the bits of one word: a name whose length is
/// not among them is ruled out without comparing it with each name of the set (names of 63
/// bytes and more share the top bit, so they are never ruled out).
struct NameLengths {
    private var bits: UInt64 = 0

    init() {}

    init(_ names: some Sequence<String>) {
        for name in names { insert(name) }
    }

    mutating func insert(_ name: String) {
        bits |= Self.bit(name.utf8.count)
    }

    /// Whether a name of `name`'s length is in the set (`false`: `name` certainly is not).
    func mayContain(_ name: some FieldName) -> Bool {
        bits & Self.bit(name.byteCount) != 0
    }

    private static func bit(_ length: Int) -> UInt64 {
        1 << UInt64(min(length, 63))
    }
}
