import EventLog
import GatehouseCore

/// Builds ``QuotaUsage`` for `now` from the log: this month's request outcomes, found through
/// the time index and decoded in place.
public enum QuotaProjection {
    public static func load(from log: any EventLog, now: Timestamp) throws -> QuotaUsage {
        var usage = QuotaUsage(asOf: now)
        let start = now.startOfMonth
        guard let first = try log.firstSequence(atOrAfter: start.microseconds) else { return usage }
        try log.scan(.traffic, after: first > 0 ? first - 1 : 0) { record in
            let outcome = try RequestCompletedView(record)
            usage.add(key: outcome.apiKeyID, decision: outcome.decision, at: outcome.startTime)
            return true
        }
        return usage
    }
}
