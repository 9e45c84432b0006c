import GatehouseCore
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
    var traceID: String { Self.text(digits: 32) { Self.writeHex(traceHigh, traceLow, into: $0) } }
    /// The gateway's span: 16 lowercase hex digits.
    var spanID: String { Self.text(digits: 16) { Self.writeHex(span, into: $0) } }
    /// 2 lowercase hex digits.
    var flags: String { Self.text(digits: 2) { Self.writeHex(UInt64(flagBits), into: $0) } }

    /// The `traceparent` sent upstream: `00-trace-span-flags` (written in place: one allocation).
    var header: String {
        Self.text(digits: 55) { buffer in
            _ = buffer.initialize(fromContentsOf: "00-".utf8)
            Self.writeHex(traceHigh, traceLow, into: UnsafeMutableBufferPointer(rebasing: buffer[3 ..< 35]))
            buffer[35] = UInt8(ascii: "-")
            Self.writeHex(span, into: UnsafeMutableBufferPointer(rebasing: buffer[36 ..< 52]))
            buffer[52] = UInt8(ascii: "-")
            Self.writeHex(UInt64(flagBits), into: UnsafeMutableBufferPointer(rebasing: buffer[53 ..< 55]))
        }
    }

    /// The incoming trace continued with a new span, or a new sampled trace.
    static func forward(_ headers: HTTPHeaders, random: inout SplitMix64) -> (context: TraceContext, keepsState: Bool) {
        let span = random.next() | 1  // never all zeros
        if let incoming = headers.first(name: "traceparent"), let parsed = parse(incoming) {
            return (TraceContext(traceHigh: parsed.high, traceLow: parsed.low, span: span, flagBits: parsed.flags), true)
        }
        return (TraceContext(traceHigh: random.next(), traceLow: random.next() | 1, span: span, flagBits: 1), false)
    }

    /// A valid `traceparent`'s trace id and flags (version 00, or a later version's first fields).
    static func parse(_ value: String) -> (high: UInt64, low: UInt64, flags: UInt8)? {
        let parts = value[...].trimmingSpaces().split(onASCII: UInt8(ascii: "-"), omittingEmpty: false)
        guard parts.count >= 4, parts[0].utf8.count == 2, let version = number(parts[0]), version != 0xFF else { return nil }
        guard version != 0 || parts.count == 4 else { return nil }
        let (trace, parent, flags) = (parts[1].utf8, parts[2], parts[3])
        guard trace.count == 32, let high = number(Substring(trace.prefix(16))), let low = number(Substring(trace.suffix(16))), high | low != 0,
              parent.utf8.count == 16, let parentSpan = number(parent), parentSpan != 0,
              flags.utf8.count == 2, let flagBits = number(flags) else { return nil }
        return (high, low, UInt8(flagBits))
    }

    /// The value of up to 16 lowercase hex digits; `nil` for anything else.
    private static func number(_ digits: Substring) -> UInt64? {
        var value: UInt64 = 0
        for digit in digits.utf8 {
            guard let nibble = LowercaseHex.value(digit) else { return nil }
            value = value << 4 | UInt64(nibble)
        }
        return value
    }

    private static func text(digits: Int, _ write: (UnsafeMutableBufferPointer<UInt8>) -> Void) -> String {
        String(unsafeUninitializedCapacity: digits) { buffer in
            write(buffer)
            return digits
        }
    }

    /// `value` as lowercase hex digits filling `buffer`, zero-padded.
    private static func writeHex(_ value: UInt64, into buffer: UnsafeMutableBufferPointer<UInt8>) {
        for index in 0 ..< buffer.count {
            buffer[index] = LowercaseHex.digit(UInt8(truncatingIfNeeded: value >> UInt64(4 * (buffer.count - 1 - index))))
        }
    }

    /// The 32 digits of `high` then `low`.
    private static func writeHex(_ high: UInt64, _ low: UInt64, into buffer: UnsafeMutableBufferPointer<UInt8>) {
        writeHex(high, into: UnsafeMutableBufferPointer(rebasing: buffer[0 ..< 16]))
        writeHex(low, into: UnsafeMutableBufferPointer(rebasing: buffer[16 ..< 32]))
    }
}
