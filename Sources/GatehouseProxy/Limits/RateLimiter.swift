import GatehouseCore
import Synchronization

/// The shared limiter state of the proxy: callers spread over shards, each a ``LimiterTable``
/// behind its own lock, so event loops rarely contend and a check is one lock, one table probe
/// and a few integer operations per rule. All rules of a request are checked together: a
/// request counts only if every enforced rule admits it, so a refused request uses no quota
/// and concurrent callers can never push a counter past its limit.
final class RateLimiter: Sendable {
    /// One lock and the table behind it.
    private final class Shard: Sendable {
        let table: Mutex<LimiterTable>

        init() { table = Mutex(LimiterTable()) }
    }

    private let shards: [Shard]
    private let refusals = Atomic<Int>(0)
    private let shadowViolations = Atomic<Int>(0)
    /// Entries idle longer than this are dropped by ``evictIdle(now:)``.
    private let idleMicros: Int64 = 2 * 86_400 * 1_000_000

    init(shardCount: Int = 64) {
        shards = (0 ..< shardCount).map { _ in Shard() }
    }

    /// Checks `plan`'s rules for the caller of `fingerprint` at `now` (µs).
    func check(_ plan: LimitPlan, fingerprint: CallerFingerprint, now: Int64) -> LimitResult {
        guard !plan.specs.isEmpty else { return .none }
        // One caller's pages live in one shard, so all its rules are decided under one lock.
        let verdicts = shard(of: fingerprint).table.withLock { $0.decide(plan.specs, caller: fingerprint, now: now) }
        let result = LimitResult(rules: plan.rules, verdicts: verdicts)
        if result.refusal != nil { refusals.add(1, ordering: .relaxed) }
        if result.shadowViolation != nil { shadowViolations.add(1, ordering: .relaxed) }
        return result
    }

    /// Callers tracked now, and the refusals and shadow violations counted since the start.
    func statistics() -> LimiterStatistics {
        LimiterStatistics(
            callers: shards.reduce(0) { total, shard in total + shard.table.withLock { $0.callers } },
            refusals: refusals.load(ordering: .relaxed), shadowViolations: shadowViolations.load(ordering: .relaxed)
        )
    }

    /// Starts each key's quota counters from `usage` (the projection of this month's outcomes).
    func seed(_ usage: QuotaUsage) {
        let now = usage.asOf.microseconds
        for (key, counts) in usage.byKey {
            let fingerprint = CallerFingerprint(.key(key))
            for (period, count) in [(CalendarPeriod.day, counts.day), (.month, counts.month)] {
                let rule = RuleNumbers.number(for: LimitPlanner.quotaRuleID(period))
                shard(of: fingerprint).table.withLock { table in
                    table.seedQuota(rule, of: fingerprint, periodStart: period.bounds(of: now).start, count: count, now: now)
                }
            }
        }
    }

    /// Drops state nobody used for two days (call now and then, off the request path).
    func evictIdle(now: Int64) {
        for shard in shards {
            shard.table.withLock { $0.evict(idleBefore: now - idleMicros) }
        }
    }

    /// The shard holding `caller`'s pages (chosen by bits the table's positions do not use).
    private func shard(of caller: CallerFingerprint) -> Shard {
        shards[Int(truncatingIfNeeded: caller.spread >> 40) % shards.count]
    }
}
