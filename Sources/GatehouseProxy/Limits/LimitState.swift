/// What the limiter remembers for one caller under one rule: the counter of the rule's kind
/// (none until the rule is first checked) and any block. 25 bytes, kept inline in the caller's
/// page.
struct LimitState: Sendable {
    enum Counter: Sendable {
        case fresh
        case bucket(GCRA)
        case window(WindowCounter)
        case quota(CalendarCounter)
    }

    /// Refused until this time (µs) after a violation of a rule with a block duration.
    var blockedUntil: Int64 = 0
    var counter = Counter.fresh
}

extension LimitState {
    /// Judges one request by `rule` at `now` (µs), counting it in this state when allowed. A
    /// counter of another kind (the rule id was reused with another kind) starts afresh.
    mutating func evaluate(_ rule: LimitRuleSpec, now: Int64) -> LimitVerdict {
        switch rule.kind {
        case .bucket(let rate, let burst):
            var bucket = if case .bucket(let bucket) = counter { bucket } else { GCRA() }
            let verdict = bucket.check(now: now, rate: rate, burst: burst)
            counter = .bucket(bucket)
            return LimitVerdict(
                allowed: verdict.allowed, counted: burst - verdict.remaining, remaining: verdict.remaining,
                retryAfterMicros: verdict.retryAfterMicros, resetMicros: verdict.resetMicros, windowSeconds: 1
            )
        case .window(let seconds, let limit, let rolling):
            var window = if case .window(let window) = counter { window } else { WindowCounter() }
            let verdict = window.check(now: now, seconds: seconds, limit: limit, rolling: rolling)
            counter = .window(window)
            return LimitVerdict(
                allowed: verdict.allowed, counted: verdict.counted, remaining: verdict.remaining,
                retryAfterMicros: verdict.retryAfterMicros, resetMicros: verdict.resetMicros, windowSeconds: seconds
            )
        case .quota(let period, let limit):
            var quota = if case .quota(let quota) = counter { quota } else { CalendarCounter() }
            let verdict = quota.check(now: now, period: period, limit: limit)
            counter = .quota(quota)
            return LimitVerdict(
                allowed: verdict.allowed, counted: verdict.counted, remaining: verdict.remaining,
                retryAfterMicros: verdict.allowed ? 0 : verdict.resetMicros, resetMicros: verdict.resetMicros, windowSeconds: verdict.periodSeconds
            )
        }
    }

    /// Judges one request, honouring a running block, and starts a block when an enforced or
    /// shadow rule with a block duration refuses.
    mutating func judge(_ rule: LimitRuleSpec, now: Int64) -> LimitVerdict {
        guard blockedUntil <= now else {
            return LimitVerdict(
                allowed: false, counted: rule.kind.quota, remaining: 0, retryAfterMicros: blockedUntil - now,
                resetMicros: blockedUntil - now, windowSeconds: rule.kind.windowSeconds
            )
        }
        let verdict = evaluate(rule, now: now)
        if !verdict.allowed, rule.blockSeconds > 0 { blockedUntil = now + Int64(rule.blockSeconds) * 1_000_000 }
        return verdict
    }
}
