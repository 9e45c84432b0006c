extension CallerLimits {
    /// Decides one request against all `rules` at `now` (µs). A request counts only when every
    /// enforced rule admits it; a refusal changes nothing but the blocks it starts.
    mutating func decide(_ rules: [LimitRule], now: Int64) -> LimitResult {
        lastUsed = now
        var evaluations: [LimitEvaluation] = []
        evaluations.reserveCapacity(rules.count)
        return withUnsafeTemporaryAllocation(of: LimitState.self, capacity: rules.count) { trial in
            decide(rules, now: now, evaluations: &evaluations, trial: trial)
            return LimitResult(evaluations: evaluations)
        }
    }

    private mutating func decide(
        _ rules: [LimitRule], now: Int64, evaluations: inout [LimitEvaluation], trial: UnsafeMutableBufferPointer<LimitState>
    ) {
        var refused = false
        for (index, rule) in rules.enumerated() {
            var state = state(for: rule.number)
            let evaluation: LimitEvaluation
            if state.blockedUntil > now {
                evaluation = LimitEvaluation(
                    rule: rule, allowed: false, counted: rule.quota, remaining: 0, retryAfterMicros: state.blockedUntil - now,
                    resetMicros: state.blockedUntil - now, windowSeconds: rule.windowSeconds
                )
            } else {
                evaluation = Self.evaluate(rule, state: &state, now: now)
                if !evaluation.allowed, rule.blockSeconds > 0 { state.blockedUntil = now + Int64(rule.blockSeconds) * 1_000_000 }
            }
            if !evaluation.allowed, rule.enforced { refused = true }
            evaluations.append(evaluation)
            trial.initializeElement(at: index, to: state)
        }
        for (index, rule) in rules.enumerated() {
            let state = trial.moveElement(from: index)
            if refused {
                var kept = self.state(for: rule.number)
                guard state.blockedUntil > kept.blockedUntil else { continue }
                kept.blockedUntil = state.blockedUntil
                set(kept, for: rule.number)
            } else {
                set(state, for: rule.number)
            }
        }
    }

    /// Starts a quota counter at `count` for the period beginning at `periodStart`.
    mutating func seedQuota(number: Int, periodStart: Int64, count: Int, now: Int64) {
        var state = state(for: number)
        state.quota.seed(periodStart: periodStart, count: count)
        set(state, for: number)
        lastUsed = now
    }

    private static func evaluate(_ rule: LimitRule, state: inout LimitState, now: Int64) -> LimitEvaluation {
        switch rule.kind {
        case .bucket(let rate, let burst):
            let verdict = state.bucket.check(now: now, rate: rate, burst: burst)
            return LimitEvaluation(
                rule: rule, allowed: verdict.allowed, counted: burst - verdict.remaining, remaining: verdict.remaining,
                retryAfterMicros: verdict.retryAfterMicros, resetMicros: verdict.resetMicros, windowSeconds: 1
            )
        case .window(let seconds, let limit, let rolling):
            let verdict = state.window.check(now: now, seconds: seconds, limit: limit, rolling: rolling)
            return LimitEvaluation(
                rule: rule, allowed: verdict.allowed, counted: verdict.counted, remaining: verdict.remaining,
                retryAfterMicros: verdict.retryAfterMicros, resetMicros: verdict.resetMicros, windowSeconds: seconds
            )
        case .quota(let period, let limit):
            let verdict = state.quota.check(now: now, period: period, limit: limit)
            return LimitEvaluation(
                rule: rule, allowed: verdict.allowed, counted: verdict.counted, remaining: verdict.remaining,
                retryAfterMicros: verdict.allowed ? 0 : verdict.resetMicros, resetMicros: verdict.resetMicros, windowSeconds: verdict.periodSeconds
            )
        }
    }
}
