import GatehouseCore

/// How one rule judged one request.
struct LimitEvaluation: Sendable, Equatable {
    let rule: LimitRule
    let allowed: Bool
    /// The count the request was judged by.
    let counted: Int
    let remaining: Int
    let retryAfterMicros: Int64
    let resetMicros: Int64
    /// The window's length in seconds (for quotas, the current day or month).
    let windowSeconds: Int
}

/// Every rule's judgement of one request.
struct LimitResult: Sendable, Equatable {
    let evaluations: [LimitEvaluation]

    /// The enforced rule that refused the request (the one that frees up last), if any.
    /// (Loops rather than `filter`: asked on every request, it allocates nothing.)
    var refusal: LimitEvaluation? {
        var refusal: LimitEvaluation?
        for evaluation in evaluations where !evaluation.allowed && evaluation.rule.enforced {
            if refusal.map({ $0.retryAfterMicros < evaluation.retryAfterMicros }) ?? true { refusal = evaluation }
        }
        return refusal
    }

    /// A shadow-mode rule that would have refused it.
    var shadowViolation: LimitEvaluation? {
        evaluations.first { !$0.allowed && !$0.rule.enforced }
    }

    /// The rule closest to its limit (what `X-RateLimit-*` describe).
    var tightest: LimitEvaluation? {
        evaluations.min { ($0.remaining, -$0.resetMicros) < ($1.remaining, -$1.resetMicros) }
    }

    /// The evaluations as recorded in the outcome.
    var recorded: [RuleEvaluation] {
        evaluations.map { RuleEvaluation(ruleID: $0.rule.id, windowSeconds: $0.windowSeconds, counter: $0.counted, limit: $0.rule.quota, enforced: $0.rule.enforced) }
    }
}
