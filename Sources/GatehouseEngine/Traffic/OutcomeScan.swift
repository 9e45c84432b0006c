import EventLog
import GatehouseCore

/// Reads the request outcomes recorded since a time and tallies them by a grouping key — the
/// read side of the admin API's traffic figures (today's requests, a route's last 24 hours, a
/// key's usage). Starts at the time index's minute, so it reads only the window asked for.
public enum OutcomeScan {
    /// Tallies of the outcomes that started in `[from, to)`, grouped by `group` (`nil`: skipped).
    public static func tally<Key: Hashable>(
        _ log: any EventLog, from: Timestamp, to: Timestamp = Timestamp(microseconds: .max),
        by group: (RequestCompletedView) -> Key?
    ) throws -> [Key: OutcomeTally] {
        var tallies: [Key: OutcomeTally] = [:]
        guard let first = try log.firstSequence(atOrAfter: from.microseconds) else { return tallies }
        try log.scan(.traffic, after: first > 0 ? first - 1 : 0) { record in
            let outcome = try RequestCompletedView(record)
            guard outcome.startTime >= from, outcome.startTime < to, let key = group(outcome) else { return true }
            tallies[key, default: OutcomeTally()].add(outcome)
            return true
        }
        return tallies
    }
}
