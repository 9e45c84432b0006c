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

    /// The `traceparent` sent upstream.
    var header: String { "00-\(traceID)-\(spanID)-\(flags)" }

    /// The incoming trace continued with a new span, or a new sampled trace.
    static func forward(_ headers: HTTPHeaders, random: inout SplitMix64) -> (context: TraceContext, keepsState: Bool) {
        let span = hex(random.next(), digits: 16)
        if let incoming = headers.first(name: "traceparent"), let parsed = parse(incoming) {
            return (TraceContext(traceID: parsed.traceID, spanID: span, flags: parsed.flags), true)
        }
        let trace = hex(random.next(), digits: 16) + hex(random.next() | 1, digits: 16)
        return (TraceContext(traceID: trace, spanID: span, flags: "01"), false)
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
            for index in 0 ..< digits {
                buffer[index] = LowercaseHex.digit(UInt8(truncatingIfNeeded: value >> UInt64(4 * (digits - 1 - index))))
            }
            return digits
        }
    }
}
