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
        return String(unsafeUninitializedCapacity: 36) { buffer in
            var position = 0
            for index in 0 ..< 32 {
                if index == 8 || index == 12 || index == 16 || index == 20 {
                    buffer[position] = UInt8(ascii: "-")
                    position += 1
                }
                let word = index < 16 ? high : low
                buffer[position] = LowercaseHex.digit(UInt8(truncatingIfNeeded: word >> UInt64(60 - 4 * (index % 16))))
                position += 1
            }
            return position
        }
    }
}
