import GatehouseCore

/// The numbers of one rule's judgement of one request. Plain values: a check stores them
/// without reference counting.
struct LimitVerdict: Sendable, Equatable {
    let allowed: Bool
    /// The count the request was judged by.
    let counted: Int
    let remaining: Int
    let retryAfterMicros: Int64
    let resetMicros: Int64
    /// The window's length in seconds (for quotas, the current day or month).
    let windowSeconds: Int
}

/// How one rule judged one request: the rule and its verdict's numbers (`evaluation.allowed`, …).
@dynamicMemberLookup
struct LimitEvaluation: Sendable, Equatable {
    let rule: LimitRule
    let verdict: LimitVerdict

    subscript<Value>(dynamicMember field: KeyPath<LimitVerdict, Value>) -> Value { verdict[keyPath: field] }
}

/// Every rule's judgement of one request: the rules checked and, in the same order, their
/// verdicts; a collection of ``LimitEvaluation``s built on access.
struct LimitResult: Sendable, Equatable, RandomAccessCollection {
    let rules: [LimitRule]
    let verdicts: [LimitVerdict]

    /// No rules, nothing judged.
    static let none = LimitResult(rules: [], verdicts: [])

    var startIndex: Int { 0 }
    var endIndex: Int { verdicts.count }
    subscript(position: Int) -> LimitEvaluation { LimitEvaluation(rule: rules[position], verdict: verdicts[position]) }

    /// The enforced rule that refused the request (the one that frees up last), if any.
    /// (Loops rather than `filter`: asked on every request, it allocates nothing.)
    var refusal: LimitEvaluation? {
        var refusal: LimitEvaluation?
        for evaluation in self where !evaluation.allowed && evaluation.rule.enforced {
            if refusal.map({ $0.retryAfterMicros < evaluation.retryAfterMicros }) ?? true { refusal = evaluation }
        }
        return refusal
    }

    /// A shadow-mode rule that would have refused it.
    var shadowViolation: LimitEvaluation? {
        first { !$0.allowed && !$0.rule.enforced }
    }

    /// The rule closest to its limit (what `X-RateLimit-*` describe).
    var tightest: LimitEvaluation? {
        self.min { ($0.remaining, -$0.resetMicros) < ($1.remaining, -$1.resetMicros) }
    }

    /// The evaluations as recorded in the outcome.
    var recorded: [RuleEvaluation] {
        map { RuleEvaluation(ruleID: $0.rule.id, windowSeconds: $0.windowSeconds, counter: $0.counted, limit: $0.rule.quota, enforced: $0.rule.enforced) }
    }
}
