/// The response fields describing limits: the IETF draft's `RateLimit-Policy` and `RateLimit`
/// (Structured Field lists, one item per rule: `"name";q=quota;w=window` and
/// `"name";r=remaining;t=seconds-to-reset`), the common `X-RateLimit-Limit/-Remaining/-Reset`
/// for the rule closest to its limit, and `Retry-After` on a refusal.
enum RateLimitHeaders {
    static func fields(_ result: LimitResult) -> [(String, String)] {
        guard let tightest = result.tightest, result.contains(where: \.rule.enforced) else { return [] }
        var policy = "", state = ""
        policy.reserveCapacity(64 * result.count)
        state.reserveCapacity(48 * result.count)
        for evaluation in result where evaluation.rule.enforced {
            let rule = evaluation.rule
            if !policy.isEmpty {
                policy += ", "
                state += ", "
            }
            policy += rule.policyItem ?? "\(rule.fieldName);q=\(rule.quota);w=\(evaluation.windowSeconds)"
            state += rule.fieldName
            state += ";r="
            state += String(evaluation.remaining)
            state += ";t="
            state += String(seconds(evaluation.resetMicros))
        }
        var fields: [(String, String)] = [
            ("RateLimit-Policy", policy),
            ("RateLimit", state),
            ("X-RateLimit-Limit", String(tightest.rule.quota)),
            ("X-RateLimit-Remaining", String(tightest.remaining)),
            ("X-RateLimit-Reset", String(seconds(tightest.resetMicros))),
        ]
        if let refusal = result.refusal { fields.append(("Retry-After", String(max(1, seconds(refusal.retryAfterMicros))))) }
        return fields
    }

    /// Whole seconds, rounded up.
    static func seconds(_ micros: Int64) -> Int { Int((max(micros, 0) + 999_999) / 1_000_000) }

    /// A rule's Structured Field string: `"policy-window"`, printable ASCII only, escaped.
    static func fieldName(policy: String, window: String) -> String {
        var text = "\""
        for scalar in "\(policy)-\(window)".unicodeScalars where scalar.value >= 0x20 && scalar.value < 0x7F {
            if scalar == "\"" || scalar == "\\" { text.append("\\") }
            text.unicodeScalars.append(scalar)
        }
        return text + "\""
    }
}
