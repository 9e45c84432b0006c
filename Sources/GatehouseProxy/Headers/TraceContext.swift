import Foundation
import GatehouseCore
import NIOHTTP1

/// W3C Trace Context (`traceparent`): the gateway joins the caller's trace as one hop — the
/// upstream gets the same trace id with the gateway's own span id as parent — or starts a trace
/// when the request carries none (or a malformed one, whose `tracestate` is then dropped too).
struct TraceContext: Equatable {
    /// 32 lowercase hex digits.
    let traceID: String
    /// The gateway's span: 16 lowercase hex digits.
    let spanID: String
    let flags: String

    /// The `traceparent` sent upstream (written in place: one allocation).
    var header: String {
        String(unsafeUninitializedCapacity: 5 + traceID.utf8.count + spanID.utf8.count + flags.utf8.count) { buffer in
            var at = buffer.initialize(fromContentsOf: "00-".utf8)
            at = buffer[at...].initialize(fromContentsOf: traceID.utf8)
            buffer[at] = UInt8(ascii: "-")
            at = buffer[(at + 1)...].initialize(fromContentsOf: spanID.utf8)
            buffer[at] = UInt8(ascii: "-")
            return buffer[(at + 1)...].initialize(fromContentsOf: flags.utf8)
        }
    }

    /// The incoming trace continued with a new span, or a new sampled trace.
    static func forward(_ headers: HTTPHeaders, random: inout SplitMix64) -> (context: TraceContext, keepsState: Bool) {
        let span = hex(random.next(), digits: 16)
        if let incoming = headers.first(name: "traceparent"), let parsed = parse(incoming) {
            return (TraceContext(traceID: parsed.traceID, spanID: span, flags: parsed.flags), true)
        }
        return (TraceContext(traceID: hex(random.next(), random.next() | 1), spanID: span, flags: "01"), false)
    }

    /// A valid `traceparent`'s trace id and flags (version 00, or a later version's first fields).
    static func parse(_ value: String) -> (traceID: String, flags: String)? {
        let parts = value.trimmingCharacters(in: .whitespaces).split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count >= 4, parts[0].count == 2, isHex(parts[0]), parts[0] != "ff" else { return nil }
        guard parts[0] != "00" || parts.count == 4 else { return nil }
        let (trace, parent, flags) = (parts[1], parts[2], parts[3])
        guard trace.count == 32, isHex(trace), trace.contains(where: { $0 != "0" }),
              parent.count == 16, isHex(parent), parent.contains(where: { $0 != "0" }),
              flags.count == 2, isHex(flags) else { return nil }
        return (String(trace), String(flags))
    }

    private static func isHex(_ text: Substring) -> Bool {
        text.utf8.allSatisfy { LowercaseHex.value($0) != nil }
    }

    /// `value`'s low `digits` hex digits, lowercase, zero-padded (written in place: no
    /// intermediate strings).
    private static func hex(_ value: UInt64, digits: Int) -> String {
        String(unsafeUninitializedCapacity: digits) { buffer in
            writeHex(value, digits: digits, into: buffer)
            return digits
        }
    }

    /// The 32 hex digits of `high` then `low`, in one string.
    private static func hex(_ high: UInt64, _ low: UInt64) -> String {
        String(unsafeUninitializedCapacity: 32) { buffer in
            writeHex(high, digits: 16, into: buffer)
            writeHex(low, digits: 16, into: UnsafeMutableBufferPointer(rebasing: buffer[16...]))
            return 32
        }
    }

    private static func writeHex(_ value: UInt64, digits: Int, into buffer: UnsafeMutableBufferPointer<UInt8>) {
        for index in 0 ..< digits {
            buffer[index] = LowercaseHex.digit(UInt8(truncatingIfNeeded: value >> UInt64(4 * (digits - 1 - index))))
        }
    }
}
