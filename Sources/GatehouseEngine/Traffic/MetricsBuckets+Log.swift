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

    /// The buckets of every outcome ever recorded — those already pruned included — read
    /// without writing: the metrics projection's checkpoint (when there is a readable one)
    /// caught up with the log. Should a retention pass checkpoint and prune meanwhile, the read
    /// starts again from the new checkpoint.
    public static func current(from log: any EventLog, progress: ((UInt64) -> Void)? = nil) throws -> MetricsBuckets {
        while true {
            let (start, position) = try checkpointed(in: log) ?? (MetricsBuckets(), 0)
            var buckets = start
            try buckets.catchUp(from: log, after: position, progress: progress)
            if try log.loadCheckpoint(named: MetricsProjection.checkpointName)?.sequence ?? 0 == position { return buckets }
        }
    }

    /// The buckets and position stored in the metrics projection's checkpoint; nil when there
    /// is none or it does not decode (another codec version).
    static func checkpointed(in log: any EventLog) throws -> (MetricsBuckets, SequenceNumber)? {
        guard let checkpoint = try log.loadCheckpoint(named: MetricsProjection.checkpointName),
              let buckets = try? MetricsBuckets(decoding: checkpoint.state) else { return nil }
        return (buckets, checkpoint.sequence)
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
