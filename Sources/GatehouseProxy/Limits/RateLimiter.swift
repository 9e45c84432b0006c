import GatehouseCore
import Synchronization

/// The shared limiter state of the proxy: one entry per (rule, caller), spread over shards each
/// behind its own lock, so event loops rarely contend and a check is a hash, a lock and a few
/// integer operations. All rules of a request are checked together: a request counts only if
/// every enforced rule admits it, so a refused request uses no quota and concurrent callers can
/// never push a counter past its limit.
final class RateLimiter: Sendable {
    private struct Key: Hashable {
        let rule: String
        let caller: LimitCaller
    }

    /// One lock and the entries behind it.
    private final class Shard: Sendable {
        let entries = Mutex<[Key: LimitState]>([:])
    }

    private let shards: [Shard]
    /// Entries idle longer than this are dropped by ``evictIdle(now:)``.
    private let idleMicros: Int64 = 2 * 86_400 * 1_000_000

    init(shardCount: Int = 64) {
        shards = (0 ..< shardCount).map { _ in Shard() }
    }

    /// Checks `rules` for `caller` at `now` (µs).
    func check(_ rules: [LimitRule], caller: LimitCaller, now: Int64) -> LimitResult {
        guard !rules.isEmpty else { return LimitResult(evaluations: []) }
        // One caller's entries live in one shard, so all its rules are decided under one lock.
        return shard(of: caller).entries.withLock { entries in
            var trial: [(Key, LimitState)] = []
            var evaluations: [LimitEvaluation] = []
            var refusedByEnforced = false
            for rule in rules {
                let key = Key(rule: rule.id, caller: caller)
                var state = entries[key] ?? LimitState()
                state.lastUsed = now
                let evaluation: LimitEvaluation
                if state.blockedUntil > now {
                    evaluation = LimitEvaluation(
                        rule: rule, allowed: false, counted: rule.quota, remaining: 0, retryAfterMicros: state.blockedUntil - now,
                        resetMicros: state.blockedUntil - now, windowSeconds: rule.windowSeconds
                    )
                } else {
                    evaluation = Self.evaluate(rule, state: &state, now: now)
                    if !evaluation.allowed, rule.blockSeconds > 0 {
                        state.blockedUntil = now + Int64(rule.blockSeconds) * 1_000_000
                    }
                }
                if !evaluation.allowed, rule.enforced { refusedByEnforced = true }
                evaluations.append(evaluation)
                trial.append((key, state))
            }
            // Commit the counts only when the request goes through; a refusal keeps the blocks.
            for (key, state) in trial {
                if refusedByEnforced {
                    var kept = entries[key] ?? LimitState()
                    kept.blockedUntil = max(kept.blockedUntil, state.blockedUntil)
                    kept.lastUsed = now
                    entries[key] = kept
                } else {
                    entries[key] = state
                }
            }
            return LimitResult(evaluations: evaluations)
        }
    }

    /// Starts each key's quota counters from `usage` (the projection of this month's outcomes).
    func seed(_ usage: QuotaUsage) {
        let now = usage.asOf.microseconds
        for (key, counts) in usage.byKey {
            let caller = LimitCaller.key(key)
            for (period, count) in [(CalendarPeriod.day, counts.day), (.month, counts.month)] {
                let entry = Key(rule: LimitPlanner.quotaRuleID(period), caller: caller)
                shard(of: caller).entries.withLock { entries in
                    var state = entries[entry] ?? LimitState()
                    state.quota.seed(periodStart: period.bounds(of: now).start, count: count)
                    state.lastUsed = now
                    entries[entry] = state
                }
            }
        }
    }

    /// Drops state nobody used for two days (call now and then, off the request path).
    func evictIdle(now: Int64) {
        for shard in shards {
            shard.entries.withLock { entries in entries = entries.filter { now - $0.value.lastUsed < idleMicros } }
        }
    }

    /// The shard holding `caller`'s entries.
    private func shard(of caller: LimitCaller) -> Shard {
        var hasher = Hasher()
        hasher.combine(caller)
        return shards[Int(UInt(bitPattern: hasher.finalize()) % UInt(shards.count))]
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
