import GatehouseCore
import Testing

@Suite("Lowercase hex")
struct LowercaseHexTests {
    /// `value`'s 16 digits as `LowercaseHex.write` gives them.
    static func written(_ value: UInt64) -> String {
        String(unsafeUninitializedCapacity: 16) { buffer in
            LowercaseHex.write(value, to: UnsafeMutableRawPointer(buffer.baseAddress!))
            return 16
        }
    }

    @Test("sixteen digits at once are the number's zero-padded lowercase hex, most significant first")
    func sixteenDigits() {
        var random = SystemRandomNumberGenerator()
        let values: [UInt64] = [0, 1, 9, 10, 15, 16, 0x0123_4567_89AB_CDEF, 0xFEDC_BA98_7654_3210, 0xA0A0_9F9F_0000_FFFF, .max]
            + (0 ..< 1000).map { _ in random.next() }
        for value in values {
            let expected = String(repeating: "0", count: 16 - String(value, radix: 16).count) + String(value, radix: 16)
            #expect(Self.written(value) == expected)
        }
    }

    @Test("one digit at a time agrees with the digits' values")
    func oneDigit() {
        #expect((0 ... 15).map { LowercaseHex.digit(UInt8($0)) } == Array("0123456789abcdef".utf8))
        #expect((0 ... 15).map { LowercaseHex.value(LowercaseHex.digit(UInt8($0))) } == (0 ... 15).map { UInt8($0) })
    }
}
