/// The response fields describing limits: the IETF draft's `RateLimit-Policy` and `RateLimit`
/// (Structured Field lists, one item per rule: `"name";q=quota;w=window` and
/// `"name";r=remaining;t=seconds-to-reset`), the common `X-RateLimit-Limit/-Remaining/-Reset`
/// for the rule closest to its limit, and `Retry-After` on a refusal.
enum RateLimitHeaders {
    static func fields(_ result: LimitResult) -> [(String, String)] {
        guard let tightest = result.tightest else { return [] }
        let enforced = result.evaluations.filter(\.rule.enforced)
        guard !enforced.isEmpty else { return [] }
        var fields: [(String, String)] = [
            ("RateLimit-Policy", enforced.map { "\(name($0.rule));q=\($0.rule.quota);w=\($0.windowSeconds)" }.joined(separator: ", ")),
            ("RateLimit", enforced.map { "\(name($0.rule));r=\($0.remaining);t=\(seconds($0.resetMicros))" }.joined(separator: ", ")),
            ("X-RateLimit-Limit", String(tightest.rule.quota)),
            ("X-RateLimit-Remaining", String(tightest.remaining)),
            ("X-RateLimit-Reset", String(seconds(tightest.resetMicros))),
        ]
        if let refusal = result.refusal { fields.append(("Retry-After", String(max(1, seconds(refusal.retryAfterMicros))))) }
        return fields
    }

    /// Whole seconds, rounded up.
    static func seconds(_ micros: Int64) -> Int { Int((max(micros, 0) + 999_999) / 1_000_000) }

    /// The rule's Structured Field string: `"policy-window"`, escaped.
    private static func name(_ rule: LimitRule) -> String {
        let text = "\(rule.policyName)-\(rule.windowName)".unicodeScalars.filter { $0.value >= 0x20 && $0.value < 0x7F }
            .map { $0 == "\"" || $0 == "\\" ? "\\\($0)" : String($0) }.joined()
        return "\"\(text)\""
    }
}
