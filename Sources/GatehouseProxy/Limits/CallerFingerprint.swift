import GatehouseCore

/// A caller reduced to 128 bits, the limiter's key. A key is its UUID as is; a JWT subject or a
/// client address is hashed twice with the process's random seed (SipHash), so two different
/// callers share a fingerprint only by a 2⁻¹²⁸ accident that nobody outside the process can aim
/// for. Fixed size and trivially copied: a check compares two words instead of an enum.
struct CallerFingerprint: Hashable, Sendable {
    let high: UInt64
    let low: UInt64

    init(_ caller: LimitCaller) {
        switch caller {
        case .key(let id):
            (high, low) = withUnsafeBytes(of: id.uuid.uuid) { bytes in
                (bytes.loadUnaligned(fromByteOffset: 0, as: UInt64.self), bytes.loadUnaligned(fromByteOffset: 8, as: UInt64.self))
            }
        case .subject(let subject):
            (high, low) = Self.hashed(kind: 1, subject)
        case .address(let address):
            (high, low) = Self.hashed(kind: 2, Self.words(of: address))
        }
    }

    /// The bits that pick a shard and a table position (mixed, so sequential UUIDs spread too).
    var spread: UInt64 { Self.mix(high ^ (low &* 0x9E37_79B9_7F4A_7C15)) }

    /// The SplitMix64 finaliser: every input bit affects every output bit.
    static func mix(_ value: UInt64) -> UInt64 {
        var bits = value
        bits = (bits ^ (bits >> 30)) &* 0xBF58_476D_1CE4_E5B9
        bits = (bits ^ (bits >> 27)) &* 0x94D0_49BB_1331_11EB
        return bits ^ (bits >> 31)
    }

    /// An address's 4 or 16 bytes as two words and its length (an array's hash would feed the
    /// hasher byte by byte).
    private static func words(of address: ClientIP?) -> AddressWords {
        var words = AddressWords(high: 0, low: 0, count: 0)
        guard let bytes = address?.bytes else { return words }
        words.count = UInt8(bytes.count)
        for (index, byte) in bytes.enumerated() {
            if index < 8 {
                words.high |= UInt64(byte) << UInt64(8 * index)
            } else {
                words.low |= UInt64(byte) << UInt64(8 * (index - 8))
            }
        }
        return words
    }

    private struct AddressWords: Hashable {
        var high: UInt64
        var low: UInt64
        var count: UInt8
    }

    private static func hashed(kind: UInt8, _ value: some Hashable) -> (UInt64, UInt64) {
        var first = Hasher(), second = Hasher()
        first.combine(kind)
        second.combine(kind | 0x80)
        first.combine(value)
        second.combine(value)
        return (UInt64(bitPattern: Int64(first.finalize())), UInt64(bitPattern: Int64(second.finalize())))
    }
}
