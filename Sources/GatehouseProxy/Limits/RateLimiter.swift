import GatehouseCore
import Synchronization

/// The shared limiter state of the proxy: one entry per caller (holding a state per rule),
/// spread over shards each behind its own lock, so event loops rarely contend and a check is a
/// hash, a lock, one dictionary probe and a few integer operations per rule. All rules of a
/// request are checked together: a request counts only if every enforced rule admits it, so a
/// refused request uses no quota and concurrent callers can never push a counter past its limit.
final class RateLimiter: Sendable {
    /// One lock and the entries behind it.
    private final class Shard: Sendable {
        let entries = Mutex<[LimitCaller: CallerLimits]>([:])
    }

    private let shards: [Shard]
    private let refusals = Atomic<Int>(0)
    private let shadowViolations = Atomic<Int>(0)
    /// Entries idle longer than this are dropped by ``evictIdle(now:)``.
    private let idleMicros: Int64 = 2 * 86_400 * 1_000_000

    init(shardCount: Int = 64) {
        shards = (0 ..< shardCount).map { _ in Shard() }
    }

    /// Checks `rules` for `caller` at `now` (µs).
    func check(_ rules: [LimitRule], caller: LimitCaller, now: Int64) -> LimitResult {
        guard !rules.isEmpty else { return LimitResult(evaluations: []) }
        // One caller's entries live in one shard, so all its rules are decided under one lock.
        let result = shard(of: caller).entries.withLock { entries in
            entries[caller, default: CallerLimits()].decide(rules, now: now)
        }
        if result.refusal != nil { refusals.add(1, ordering: .relaxed) }
        if result.shadowViolation != nil { shadowViolations.add(1, ordering: .relaxed) }
        return result
    }

    /// Callers tracked now, and the refusals and shadow violations counted since the start.
    func statistics() -> LimiterStatistics {
        LimiterStatistics(
            callers: shards.reduce(0) { total, shard in total + shard.entries.withLock { $0.count } },
            refusals: refusals.load(ordering: .relaxed), shadowViolations: shadowViolations.load(ordering: .relaxed)
        )
    }

    /// Starts each key's quota counters from `usage` (the projection of this month's outcomes).
    func seed(_ usage: QuotaUsage) {
        let now = usage.asOf.microseconds
        for (key, counts) in usage.byKey {
            let caller = LimitCaller.key(key)
            for (period, count) in [(CalendarPeriod.day, counts.day), (.month, counts.month)] {
                let number = RuleNumbers.number(for: LimitPlanner.quotaRuleID(period))
                shard(of: caller).entries.withLock { entries in
                    entries[caller, default: CallerLimits()].seedQuota(number: number, periodStart: period.bounds(of: now).start, count: count, now: now)
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
}
