import NIOCore

/// The fields describing limits on one limited request's response: `RateLimit-Policy`,
/// `RateLimit` (see ``RateLimitHeaders``), the common `X-RateLimit-Limit/-Remaining/-Reset` for
/// the rule closest to its limit, and `Retry-After` on a refusal. Kept as the check's numbers
/// until the response head is written: straight into the bytes of an HTTP/1 head, or as
/// name–value strings where a head is built as NIO's — so an admitted request makes no strings
/// for them on the relayed path.
struct RateLimitFields {
    let result: LimitResult
    /// The plan whose rules `result` judged: the fields' fixed parts.
    let plan: LimitPlan
    /// The position of the rule `X-RateLimit-*` describe (``LimitResult/tightestIndex``).
    private let tightest: Int

    /// The fields of `result`, a check of `plan`'s rules; `nil` when no enforced rule judged the
    /// request (shadow rules alone tell the client nothing).
    init?(_ result: LimitResult, plan: LimitPlan) {
        guard let tightest = result.tightestIndex, !plan.fieldLayout.items.isEmpty else { return nil }
        self.result = result
        self.plan = plan
        self.tightest = tightest
    }

    /// How many fields there are (six on a refusal).
    var count: Int { result.refusal == nil ? 5 : 6 }

    /// Calls `body` with each field's name and value, in order.
    func forEach(_ body: (String, String) -> Void) {
        let rules = result.rules, verdicts = result.verdicts
        body(
            "RateLimit-Policy",
            plan.policyField ?? FieldValueWriter.text(capacity: RateLimitHeaders.policyCapacity(rules)) { RateLimitHeaders.writePolicy(rules, verdicts, into: &$0) }
        )
        body("RateLimit", FieldValueWriter.text(capacity: RateLimitHeaders.stateCapacity(rules)) { RateLimitHeaders.writeState(rules, verdicts, into: &$0) })
        body("X-RateLimit-Limit", String(rules[tightest].quota))
        body("X-RateLimit-Remaining", String(verdicts[tightest].remaining))
        body("X-RateLimit-Reset", String(RateLimitHeaders.seconds(verdicts[tightest].resetMicros)))
        if let retryAfter { body("Retry-After", String(retryAfter)) }
    }

    /// The fields as name–value pairs, in order.
    var pairs: [(String, String)] {
        var pairs: [(String, String)] = []
        pairs.reserveCapacity(count)
        forEach { pairs.append(($0, $1)) }
        return pairs
    }

    /// Writes the fields as HTTP/1 field lines — the same names and values as ``forEach(_:)``
    /// gives — into room reserved once: the plan's fixed parts copied, the numbers written in place.
    func write(into buffer: inout ByteBuffer) {
        let layout = plan.fieldLayout, verdicts = result.verdicts
        FieldValueWriter.write(into: &buffer, capacity: layout.capacity) { writer in
            layout.bytes.withUnsafeBufferPointer { fixed in
                if let head = layout.head {
                    writer.append(UnsafeBufferPointer(rebasing: fixed[head]))
                } else {
                    writer.append("RateLimit-Policy: ")
                    RateLimitHeaders.writePolicy(result.rules, verdicts, into: &writer)
                    writer.append("\r\nRateLimit: ")
                }
                for item in layout.items {
                    writer.append(UnsafeBufferPointer(rebasing: fixed[item.bytes]))
                    writer.append(verdicts[item.rule].remaining)
                    writer.append(";t=")
                    writer.append(RateLimitHeaders.seconds(verdicts[item.rule].resetMicros))
                }
            }
            writer.append("\r\nX-RateLimit-Limit: ")
            writer.append(result.rules[tightest].quota)
            writer.append("\r\nX-RateLimit-Remaining: ")
            writer.append(verdicts[tightest].remaining)
            writer.append("\r\nX-RateLimit-Reset: ")
            writer.append(RateLimitHeaders.seconds(verdicts[tightest].resetMicros))
            if let retryAfter {
                writer.append("\r\nRetry-After: ")
                writer.append(retryAfter)
            }
            writer.append("\r\n")
        }
    }

    /// Seconds until the refusing rule admits again (at least 1), on a refusal.
    private var retryAfter: Int? { result.refusal.map { max(1, RateLimitHeaders.seconds($0.retryAfterMicros)) } }
}
