import GatehouseCore
import NIOCore
import NIOHTTP1

/// W3C Trace Context (`traceparent`): the gateway joins the caller's trace as one hop — the
/// upstream gets the same trace id with the gateway's own span id as parent — or starts a trace
/// when the request carries none (or a malformed one, whose `tracestate` is then dropped too).
/// Kept as numbers; the text is written when it is sent or logged.
struct TraceContext: Equatable {
    /// The trace id's 128 bits, high half first.
    let traceHigh: UInt64
    let traceLow: UInt64
    /// The gateway's span.
    let span: UInt64
    let flagBits: UInt8

    /// 32 lowercase hex digits.
    var traceID: String { Self.text(digits: 32) { writeTraceID(at: $0) } }
    /// The gateway's span: 16 lowercase hex digits.
    var spanID: String { Self.text(digits: 16) { LowercaseHex.write(span, to: $0) } }
    /// 2 lowercase hex digits.
    var flags: String { Self.text(digits: 2) { writeFlags(at: $0) } }

    /// The `traceparent` sent upstream: `00-trace-span-flags` (written in place: one allocation).
    var header: String { Self.text(digits: Self.headerLength) { writeHeader(at: $0) } }

    /// The length of ``header``.
    static let headerLength = 55

    /// Writes the `traceparent` field (name, ``header`` and line end) to `buffer`, with no
    /// string made for it.
    func writeField(into buffer: inout ByteBuffer) {
        let name: StaticString = "traceparent: "
        let length = name.utf8CodeUnitCount + Self.headerLength + 2
        buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: length) { bytes in
            let start = bytes.baseAddress!
            start.copyMemory(from: name.utf8Start, byteCount: name.utf8CodeUnitCount)
            writeHeader(at: start + name.utf8CodeUnitCount)
            (start + length - 2).storeBytes(of: UInt16(bigEndian: 0x0D0A), as: UInt16.self)
            return length
        }
    }

    /// Writes ``header``'s 55 bytes at `text`.
    private func writeHeader(at text: UnsafeMutableRawPointer) {
        text.copyMemory(from: "00-", byteCount: 3)
        writeTraceID(at: text + 3)
        text.storeBytes(of: UInt8(ascii: "-"), toByteOffset: 35, as: UInt8.self)
        LowercaseHex.write(span, to: text + 36)
        text.storeBytes(of: UInt8(ascii: "-"), toByteOffset: 52, as: UInt8.self)
        writeFlags(at: text + 53)
    }

    /// The incoming trace continued with a new span, or a new sampled trace.
    static func forward(_ headers: ReceivedFields, random: inout SplitMix64) -> (context: TraceContext, keepsState: Bool) {
        let span = random.next() | 1  // never all zeros
        // Read where it arrived: no string is made of it.
        if let parsed = headers.withFirstValue(name: "traceparent", parse) ?? nil {
            return (TraceContext(traceHigh: parsed.high, traceLow: parsed.low, span: span, flagBits: parsed.flags), true)
        }
        return (TraceContext(traceHigh: random.next(), traceLow: random.next() | 1, span: span, flagBits: 1), false)
    }

    /// A valid `traceparent`'s trace id and flags (version 00, or a later version's first
    /// fields): `vv-` 32 hex digits `-` 16 `-` 2, lowercase, read in place at fixed offsets.
    static func parse(_ value: String) -> (high: UInt64, low: UInt64, flags: UInt8)? {
        var value = value
        return value.withUTF8 { parse(UnsafeRawBufferPointer($0)) }
    }

    /// The same, read from a field value's bytes.
    static func parse(_ text: UnsafeRawBufferPointer) -> (high: UInt64, low: UInt64, flags: UInt8)? {
        let text = text.assumingMemoryBound(to: UInt8.self)
        var start = 0, end = text.count
        while start < end, text[start] == 32 || text[start] == 9 { start += 1 }
        while end > start, text[end - 1] == 32 || text[end - 1] == 9 { end -= 1 }
        let bytes = UnsafeBufferPointer(rebasing: text[start ..< end])
        let dash = UInt8(ascii: "-")
        guard bytes.count >= 55, bytes[2] == dash, bytes[35] == dash, bytes[52] == dash,
              let version = number(bytes, at: 0, digits: 2), version != 0xFF,
              bytes.count == 55 || (version != 0 && bytes[55] == dash),
              let high = number(bytes, at: 3, digits: 16), let low = number(bytes, at: 19, digits: 16), high | low != 0,
              let parentSpan = number(bytes, at: 36, digits: 16), parentSpan != 0,
              let flagBits = number(bytes, at: 53, digits: 2) else { return nil }
        return (high, low, UInt8(flagBits))
    }

    /// The value of the `digits` (up to 16) lowercase hex digits at `offset`; `nil` for anything else.
    private static func number(_ bytes: UnsafeBufferPointer<UInt8>, at offset: Int, digits: Int) -> UInt64? {
        var value: UInt64 = 0
        for digit in bytes[offset ..< offset + digits] {
            guard let nibble = LowercaseHex.value(digit) else { return nil }
            value = value << 4 | UInt64(nibble)
        }
        return value
    }

    private static func text(digits: Int, _ write: (UnsafeMutableRawPointer) -> Void) -> String {
        String(unsafeUninitializedCapacity: digits) { buffer in
            write(UnsafeMutableRawPointer(buffer.baseAddress!))
            return digits
        }
    }

    /// The trace id's 32 digits, `traceHigh`'s then `traceLow`'s.
    private func writeTraceID(at text: UnsafeMutableRawPointer) {
        LowercaseHex.write(traceHigh, to: text)
        LowercaseHex.write(traceLow, to: text + 16)
    }

    /// The flags' 2 digits.
    private func writeFlags(at text: UnsafeMutableRawPointer) {
        text.storeBytes(of: LowercaseHex.digit(flagBits >> 4), as: UInt8.self)
        (text + 1).storeBytes(of: LowercaseHex.digit(flagBits), as: UInt8.self)
    }
}
