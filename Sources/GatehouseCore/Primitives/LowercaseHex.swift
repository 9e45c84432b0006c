/// Lowercase hexadecimal digits as bytes, the form ids and trace contexts are written in.
public enum LowercaseHex {
    /// Writes the 16 digits of `value`, most significant first, at `destination`: each half's
    /// eight digits made in one word (its nibbles spread one to a byte, then turned into digits
    /// all at once) and stored whole, not digit by digit.
    @inlinable
    public static func write(_ value: UInt64, to destination: UnsafeMutableRawPointer) {
        destination.storeBytes(of: eightDigits(UInt32(truncatingIfNeeded: value >> 32)), as: UInt64.self)
        (destination + 8).storeBytes(of: eightDigits(UInt32(truncatingIfNeeded: value)), as: UInt64.self)
    }

    /// The eight digits of `value` as the bytes of a word, in memory order (the most
    /// significant digit at the lowest address).
    @inlinable
    static func eightDigits(_ value: UInt32) -> UInt64 {
        var nibbles = UInt64(value)
        nibbles = (nibbles | nibbles << 16) & 0x0000_FFFF_0000_FFFF
        nibbles = (nibbles | nibbles << 8) & 0x00FF_00FF_00FF_00FF
        nibbles = (nibbles | nibbles << 4) & 0x0F0F_0F0F_0F0F_0F0F  // byte i holds nibble i, from the least significant
        let letters = ((nibbles + 0x0606_0606_0606_0606) >> 4) & 0x0101_0101_0101_0101  // 1 in each byte holding 10–15
        let digits = nibbles + 0x3030_3030_3030_3030 + letters * 39  // "0" + n, or "a" + n - 10
        return digits.bigEndian  // the most significant digit first in memory, on any byte order
    }

    /// The digit for the low four bits of `nibble`.
    @inlinable
    public static func digit(_ nibble: UInt8) -> UInt8 {
        let value = nibble & 0x0F
        return value < 10 ? UInt8(ascii: "0") + value : UInt8(ascii: "a") + value - 10
    }

    /// The value of a lowercase hex digit; `nil` for anything else (uppercase included).
    @inlinable
    public static func value(_ digit: UInt8) -> UInt8? {
        switch digit {
        case UInt8(ascii: "0") ... UInt8(ascii: "9"): digit - UInt8(ascii: "0")
        case UInt8(ascii: "a") ... UInt8(ascii: "f"): digit - UInt8(ascii: "a") + 10
        default: nil
        }
    }
}
