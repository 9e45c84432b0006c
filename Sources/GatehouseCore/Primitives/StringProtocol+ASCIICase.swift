extension StringProtocol {
    /// Whether the text equals `other` ignoring ASCII case — how HTTP compares field names and
    /// tokens — without allocating lowercased copies.
    public func equalsIgnoringASCIICase(_ other: some StringProtocol) -> Bool {
        guard utf8.count == other.utf8.count else { return false }
        return zip(utf8, other.utf8).allSatisfy { $0 == $1 || (Self.isLetter($0) && $0 ^ 0x20 == $1) }
    }

    private static func isLetter(_ byte: UInt8) -> Bool { (byte | 0x20) >= UInt8(ascii: "a") && (byte | 0x20) <= UInt8(ascii: "z") }
}
