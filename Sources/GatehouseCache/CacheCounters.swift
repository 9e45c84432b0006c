/// Running totals of what the cache did, with the last 24 hours kept per hour so rates over a
/// day can be reported.
public struct CacheCounters: Sendable, Equatable {
    public var hits = 0
    public var misses = 0
    /// Lookups that found an entry that was no longer fresh.
    public var stale = 0
    public var stores = 0
    /// Entries pushed out to stay within the byte budget.
    public var evictions = 0
    /// Entries removed or expired on purpose.
    public var invalidations = 0
    /// Stale entries swept because they could not be used again.
    public var expirations = 0

    /// Per hour (since the epoch) of the last day: stores and evictions.
    var hourly = [HourCount](repeating: HourCount(), count: 24)

    struct HourCount: Sendable, Equatable {
        var hour: Int64 = -1
        var stores = 0
        var evictions = 0
    }

    public init() {}

    mutating func noteStore(hour: Int64) {
        stores += 1
        bump(hour) { $0.stores += 1 }
    }

    mutating func noteEviction(hour: Int64) {
        evictions += 1
        bump(hour) { $0.evictions += 1 }
    }

    private mutating func bump(_ hour: Int64, _ change: (inout HourCount) -> Void) {
        let slot = Int(hour % 24)
        if hourly[slot].hour != hour { hourly[slot] = HourCount(hour: hour) }
        change(&hourly[slot])
    }

    /// Stores and evictions in the 24 hours up to `hour`.
    public func lastDay(upTo hour: Int64) -> (stores: Int, evictions: Int) {
        hourly.filter { $0.hour > hour - 24 && $0.hour <= hour }.reduce((0, 0)) { ($0.0 + $1.stores, $0.1 + $1.evictions) }
    }

    mutating func add(_ other: CacheCounters) {
        hits += other.hits
        misses += other.misses
        stale += other.stale
        stores += other.stores
        evictions += other.evictions
        invalidations += other.invalidations
        expirations += other.expirations
        for (index, count) in other.hourly.enumerated() where count.hour >= 0 {
            if hourly[index].hour == count.hour {
                hourly[index].stores += count.stores
                hourly[index].evictions += count.evictions
            } else if hourly[index].hour < count.hour {
                hourly[index] = count
            }
        }
    }
}
