/// Requests each API key used today and this month (UTC) — the quota projection over request
/// outcomes. Folding the current month's outcomes gives exactly what the gateway counted before
/// a restart.
public struct QuotaUsage: Sendable, Hashable {
    /// One key's counts.
    public struct Counts: Sendable, Hashable {
        public var day: Int
        public var month: Int

        public init(day: Int = 0, month: Int = 0) {
            self.day = day
            self.month = month
        }
    }

    /// The instant the counts were taken for (its day and month).
    public let asOf: Timestamp
    public private(set) var byKey: [APIKeyID: Counts] = [:]

    public init(asOf: Timestamp) { self.asOf = asOf }

    /// Counts one outcome if it is this month's and used its key's quota.
    public mutating func add(key: APIKeyID?, decision: RequestDecision, at time: Timestamp) {
        guard let key, decision.countsAgainstQuota, time >= asOf.startOfMonth, time < asOf.startOfNextMonth else { return }
        byKey[key, default: Counts()].month += 1
        if time >= asOf.startOfDay { byKey[key, default: Counts()].day += 1 }
    }
}
