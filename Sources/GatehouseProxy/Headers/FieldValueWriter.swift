/// Writes a header value of ASCII pieces — strings and decimal numbers — straight into the bytes
/// of one new string: one allocation of a size known up front, no appends that regrow or
/// re-check the string's storage. For values built on every request (`RateLimit`).
struct FieldValueWriter: ~Copyable {
    private let buffer: UnsafeMutableBufferPointer<UInt8>
    private var count = 0

    /// Room a number takes at most: 19 digits and a sign.
    static let numberCapacity = 20

    /// The string `write` writes, in at most `capacity` bytes (what does not fit is left out:
    /// size `capacity` from the pieces' lengths and ``numberCapacity`` per number).
    static func text(capacity: Int, _ write: (inout FieldValueWriter) -> Void) -> String {
        String(unsafeUninitializedCapacity: capacity) { buffer in
            var writer = FieldValueWriter(buffer: buffer)
            write(&writer)
            return writer.count
        }
    }

    private init(buffer: UnsafeMutableBufferPointer<UInt8>) {
        self.buffer = buffer
    }

    mutating func append(_ text: StaticString) {
        text.withUTF8Buffer { append($0) }
    }

    mutating func append(_ text: String) {
        var text = text
        text.withUTF8 { append($0) }
    }

    /// `value` in decimal.
    mutating func append(_ value: Int) {
        if value < 0 { append("-") }
        var magnitude = value.magnitude
        var digits = 1
        var rest = magnitude / 10
        while rest != 0 {
            digits += 1
            rest /= 10
        }
        guard digits <= buffer.count - count else { return }
        for position in (count ..< count + digits).reversed() {
            buffer[position] = UInt8(ascii: "0") + UInt8(magnitude % 10)
            magnitude /= 10
        }
        count += digits
    }

    private mutating func append(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard bytes.count <= buffer.count - count, let source = bytes.baseAddress else { return }
        (buffer.baseAddress! + count).initialize(from: source, count: bytes.count)
        count += bytes.count
    }
}
