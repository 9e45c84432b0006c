import NIOCore

/// Writes a header value of ASCII pieces — strings and decimal numbers — straight into the bytes
/// of one new string, or of a head being written: one reservation of a size known up front, no
/// appends that regrow or re-check the storage. For values built on every request (`RateLimit`,
/// a cache hit's head).
public struct FieldValueWriter: ~Copyable {
    private let buffer: UnsafeMutableBufferPointer<UInt8>
    /// The bytes written so far.
    private(set) var count = 0

    /// Room a number takes at most: 19 digits and a sign.
    public static let numberCapacity = 20

    /// The string `write` writes, in at most `capacity` bytes (what does not fit is left out:
    /// size `capacity` from the pieces' lengths and ``numberCapacity`` per number).
    public static func text(capacity: Int, _ write: (inout FieldValueWriter) -> Void) -> String {
        String(unsafeUninitializedCapacity: capacity) { buffer in
            var writer = FieldValueWriter(buffer: buffer)
            write(&writer)
            return writer.count
        }
    }

    /// Writes into `buffer`'s writable bytes what `write` writes, in at most `capacity` bytes
    /// (sized as for ``text(capacity:_:)``).
    public static func write(into buffer: inout ByteBuffer, capacity: Int, _ write: (inout FieldValueWriter) -> Void) {
        buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: capacity) { bytes in
            var writer = FieldValueWriter(buffer: UnsafeMutableBufferPointer(rebasing: bytes.bindMemory(to: UInt8.self).prefix(capacity)))
            write(&writer)
            return writer.count
        }
    }

    private init(buffer: UnsafeMutableBufferPointer<UInt8>) {
        self.buffer = buffer
    }

    public mutating func append(_ text: StaticString) {
        text.withUTF8Buffer { append($0) }
    }

    public mutating func append(_ text: String) {
        var text = text
        text.withUTF8 { append($0) }
    }

    /// `value` in decimal: its length found from its bit length and one comparison, then two
    /// digits per division (short multiply chains — numbers are most of a `RateLimit` value).
    public mutating func append(_ value: Int) {
        if value < 0 { append("-") }
        var magnitude = UInt64(value.magnitude)
        let digits = Self.decimalLength(magnitude)
        guard digits <= buffer.count - count else { return }
        var position = count + digits
        while magnitude >= 10 {
            let pair = Int(magnitude % 100)
            magnitude /= 100
            position -= 2
            buffer[position] = UInt8(ascii: "0") + UInt8(pair / 10)
            buffer[position + 1] = UInt8(ascii: "0") + UInt8(pair % 10)
        }
        if position > count { buffer[count] = UInt8(ascii: "0") + UInt8(magnitude) }
        count += digits
    }

    /// 10⁰ … 10¹⁹, written out: a literal is laid out in the binary, where a computed table
    /// would be checked for its one-time initialisation at every use.
    private static let powersOfTen: [UInt64] = [
        1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000, 1_000_000_000, 10_000_000_000,
        100_000_000_000, 1_000_000_000_000, 10_000_000_000_000, 100_000_000_000_000, 1_000_000_000_000_000,
        10_000_000_000_000_000, 100_000_000_000_000_000, 1_000_000_000_000_000_000, 10_000_000_000_000_000_000,
    ]

    /// How many decimal digits `value` has: log₁₀ estimated from its bit length (×1233/4096 ≈
    /// log₁₀ 2), corrected by one comparison.
    private static func decimalLength(_ value: UInt64) -> Int {
        guard value != 0 else { return 1 }
        let estimate = ((64 - value.leadingZeroBitCount) * 1233) >> 12
        return estimate + (value >= powersOfTen[estimate] ? 1 : 0)
    }

    /// Bytes as they are (what does not fit is left out).
    public mutating func append(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard bytes.count <= buffer.count - count, let source = bytes.baseAddress else { return }
        (buffer.baseAddress! + count).initialize(from: source, count: bytes.count)
        count += bytes.count
    }
}
