import GatehouseCache
import NIOCore

/// The fields describing limits on one limited request's response: `RateLimit-Policy`,
/// `RateLimit` (see ``RateLimitHeaders``), the common `X-RateLimit-Limit/-Remaining/-Reset` for
/// the rule closest to its limit, and `Retry-After` on a refusal. Kept as the check's numbers
/// until the response head is written: straight into the bytes of an HTTP/1 head, or as
/// name–value strings where a head is built as NIO's — so an admitted request makes no strings
/// for them on the relayed path.
struct RateLimitFields {
    /// The plan whose rules were checked: the fields' fixed parts.
    let plan: LimitPlan
    /// The check's result, shared rather than copied: its verdicts are a few hundred bytes.
    private let result: OutOfLine<LimitResult>
    /// The position of the rule `X-RateLimit-*` describe (``LimitResult/tightestIndex``).
    private let tightest: Int
    /// `Retry-After`'s seconds, on a refusal.
    private let retryAfter: Int?

    /// The fields of `result`, a check of `plan`'s rules; `nil` when no enforced rule judged the
    /// request (shadow rules alone tell the client nothing).
    init?(_ result: OutOfLine<LimitResult>, plan: LimitPlan) {
        let tightest = result.value.tightestIndex
        guard Self.exist(tightest: tightest, plan: plan), let tightest else { return nil }
        self.plan = plan
        self.result = result
        self.tightest = tightest
        retryAfter = result.value.refusalRetryAfterMicros.map { max(1, RateLimitHeaders.seconds($0)) }
    }

    /// Whether a check of `plan` whose tightest rule is at `tightest` has fields: an enforced
    /// rule judged the request.
    static func exist(tightest: Int?, plan: LimitPlan) -> Bool {
        tightest != nil && plan.fieldLayout.describesLimits
    }

    /// How many fields there are (six on a refusal).
    var count: Int { retryAfter == nil ? 5 : 6 }

    /// Calls `body` with each field's name and value, in order: the lines ``write(into:)``
    /// writes, read back (for heads built as NIO's; the relayed head takes the bytes).
    func forEach(_ body: (String, String) -> Void) {
        var buffer = ByteBuffer()
        write(into: &buffer)
        buffer.withUnsafeReadableBytes { bytes in
            var lineStart = 0
            for index in bytes.indices where bytes[index] == UInt8(ascii: "\n") {
                let line = UnsafeRawBufferPointer(rebasing: bytes[lineStart ..< index - 1])
                lineStart = index + 1
                guard let colon = line.firstIndex(of: UInt8(ascii: ":")) else { continue }
                body(String(decoding: line[..<colon], as: UTF8.self), String(decoding: line[(colon + 2)...], as: UTF8.self))
            }
        }
    }

    /// Writes the fields as HTTP/1 field lines into room reserved once: the plan's fixed parts
    /// copied, the numbers written in place.
    func write(into buffer: inout ByteBuffer) {
        let layout = plan.fieldLayout, result = self.result
        // Each verdict read where the result is, not the verdicts copied out first.
        func verdict(_ rule: Int) -> LimitVerdict { result.value.verdicts[rule] }
        FieldValueWriter.write(into: &buffer, capacity: layout.bytes.count + layout.numbersCapacity + Self.linesCapacity) { writer in
            layout.bytes.withUnsafeBufferPointer { fixed in
                for piece in layout.pieces {
                    writer.append(UnsafeBufferPointer(rebasing: fixed[piece.bytes]))
                    switch piece.number {
                    case .window(let rule): writer.append(verdict(rule).windowSeconds)
                    case .remaining(let rule): writer.append(verdict(rule).remaining)
                    case .reset(let rule): writer.append(RateLimitHeaders.seconds(verdict(rule).resetMicros))
                    case nil: break
                    }
                }
            }
            writer.append("X-RateLimit-Limit: ")
            writer.append(plan.specs[tightest].kind.quota)
            writer.append("\r\nX-RateLimit-Remaining: ")
            writer.append(verdict(tightest).remaining)
            writer.append("\r\nX-RateLimit-Reset: ")
            writer.append(RateLimitHeaders.seconds(verdict(tightest).resetMicros))
            if let retryAfter {
                writer.append("\r\nRetry-After: ")
                writer.append(retryAfter)
            }
            writer.append("\r\n")
        }
    }

    /// Room for the `X-RateLimit-*` and `Retry-After` lines: names, separators, four numbers.
    private static let linesCapacity = 100 + 4 * FieldValueWriter.numberCapacity
}
