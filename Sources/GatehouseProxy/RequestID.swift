import GatehouseCore

/// Request ids: an incoming `X-Request-ID` is kept when it is well formed, otherwise the gateway
/// generates a UUIDv7 (RFC 9562) — time-ordered, so ids sort as they are made and the log's
/// `requests` index grows at its end instead of splitting pages at random.
public enum RequestID {
    /// `true` for 1–128 characters of letters, digits and `-._:`; anything else is replaced.
    public static func isAcceptable(_ candidate: Substring) -> Bool {
        (1 ... 128).contains(candidate.utf8.count) && candidate.utf8.allSatisfy { byte in
            (48 ... 57).contains(byte) || (65 ... 90).contains(byte) || (97 ... 122).contains(byte) || [45, 46, 95, 58].contains(byte)
        }
    }

    /// A UUIDv7 string for `time`, lowercase: 48 bits of Unix milliseconds, version 7, 74 random bits.
    public static func generate(at time: Timestamp, using random: inout some RandomNumberGenerator) -> String {
        let milliseconds = UInt64(max(0, time.microseconds / 1000)) & 0xFFFF_FFFF_FFFF
        let high = milliseconds << 16 | 0x7000 | (random.next() & 0x0FFF)
        let low = (random.next() & 0x3FFF_FFFF_FFFF_FFFF) | 0x8000_0000_0000_0000
        // The 32 digits written aside, then copied as the groups 8-4-4-4-12 with dashes between.
        var digits: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
        return withUnsafeMutableBytes(of: &digits) { digits in
            LowercaseHex.write(high, to: digits.baseAddress!)
            LowercaseHex.write(low, to: digits.baseAddress! + 16)
            return String(unsafeUninitializedCapacity: 36) { buffer in
                var position = 0
                for (start, end) in [(0, 8), (8, 12), (12, 16), (16, 20), (20, 32)] {
                    if start > 0 {
                        buffer[position] = UInt8(ascii: "-")
                        position += 1
                    }
                    UnsafeMutableRawBufferPointer(rebasing: UnsafeMutableRawBufferPointer(buffer)[position ..< position + end - start])
                        .copyMemory(from: UnsafeRawBufferPointer(rebasing: digits[start ..< end]))
                    position += end - start
                }
                return position
            }
        }
    }
}
