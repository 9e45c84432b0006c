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
/// verdicts; a collection of ``LimitEvaluation``s built on access. The refusal, the shadow
/// violation and the tightest rule are found once, when the result is made. The verdicts are
/// held inline (``LimitVerdicts``), so making a result allocates nothing and a copy counts only
/// the rules (and the verdicts' overflow array, when more than six rules were checked).
struct LimitResult: Sendable, RandomAccessCollection {
    let rules: [LimitRule]
    let verdicts: LimitVerdicts
    private let refusalIndex: Int?
    private let shadowViolationIndex: Int?
    /// The position of the rule closest to its limit (what `X-RateLimit-*` describe; among
    /// equals, the one resetting last); `nil` when no rule was checked.
    let tightestIndex: Int?

    /// No rules, nothing judged.
    static let none = LimitResult(rules: [], verdicts: LimitVerdicts())

    init(rules: [LimitRule], verdicts: LimitVerdicts) {
        self.rules = rules
        self.verdicts = verdicts
        var refusal: Int?, shadow: Int?, tightest: Int?
        for index in verdicts.indices {
            let verdict = verdicts[index]
            if tightest.map({ (verdict.remaining, -verdict.resetMicros) < (verdicts[$0].remaining, -verdicts[$0].resetMicros) }) ?? true {
                tightest = index
            }
            guard !verdict.allowed else { continue }
            if !rules[index].enforced {
                shadow = shadow ?? index
            } else if refusal.map({ verdicts[$0].retryAfterMicros < verdict.retryAfterMicros }) ?? true {
                refusal = index
            }
        }
        (refusalIndex, shadowViolationIndex, tightestIndex) = (refusal, shadow, tightest)
    }

    var startIndex: Int { 0 }
    var endIndex: Int { verdicts.count }
    subscript(position: Int) -> LimitEvaluation { LimitEvaluation(rule: rules[position], verdict: verdicts[position]) }

    /// The enforced rule that refused the request (the one that frees up last), if any.
    var refusal: LimitEvaluation? { refusalIndex.map { self[$0] } }

    /// How long until the refusing rule frees up (µs), if one refused.
    var refusalRetryAfterMicros: Int64? { refusalIndex.map { verdicts[$0].retryAfterMicros } }

    /// A shadow-mode rule that would have refused it.
    var shadowViolation: LimitEvaluation? { shadowViolationIndex.map { self[$0] } }

    /// The evaluations as recorded in the outcome.
    var recorded: [RuleEvaluation] {
        // Read from the rules and verdicts directly: no evaluation made per rule.
        verdicts.indices.map { index in
            let rule = rules[index], verdict = verdicts[index]
            return RuleEvaluation(
                ruleID: rule.id, storedForm: rule.storedForm, windowSeconds: verdict.windowSeconds, counter: verdict.counted, limit: rule.quota,
                enforced: rule.enforced
            )
        }
    }
}
