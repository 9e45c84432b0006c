import EventLog
import GatehouseCore

extension MetricsBuckets {
    /// The buckets of every outcome in `log` (a full rebuild); `progress` hears the count every
    /// 100,000 outcomes.
    public static func rebuild(from log: any EventLog, progress: ((UInt64) -> Void)? = nil) throws -> MetricsBuckets {
        var buckets = MetricsBuckets()
        try buckets.catchUp(from: log, after: 0, progress: progress)
        return buckets
    }

    /// Folds the outcomes after `sequence`; returns the last sequence read.
    @discardableResult
    public mutating func catchUp(from log: any EventLog, after sequence: SequenceNumber, progress: ((UInt64) -> Void)? = nil) throws -> SequenceNumber {
        var last = sequence
        try log.scan(.traffic, after: sequence) { record in
            add(try RequestCompletedView(record))
            last = record.sequence
            if let progress, folded % 100_000 == 0 { progress(folded) }
            return true
        }
        return last
    }
}
