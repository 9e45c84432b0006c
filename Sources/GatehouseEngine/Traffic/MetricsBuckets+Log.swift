import Dispatch
import EventLog
import Foundation
import GatehouseCore
import Synchronization

extension MetricsBuckets {
    /// The buckets of every outcome in `log` (a full rebuild). The log is cut into `threads`
    /// consecutive stretches of sequences (``RebuildStretches``) folded in parallel, then joined
    /// in order (``MetricsBuckets/absorb(_:)``) — the same buckets as one sequential fold. Each
    /// stretch anticipates the retention its end will bring
    /// (``MetricsBuckets/anticipateRetention(through:)``).
    /// Stretches are at least `minimumStretch` sequences long (small logs are not worth threads).
    public static func rebuild(
        from log: any EventLog, threads: Int = ProcessInfo.processInfo.activeProcessorCount, minimumStretch: UInt64 = 50_000
    ) throws -> MetricsBuckets {
        let last = try log.lastSequence(of: .traffic)
        let parts = Int(max(1, min(UInt64(max(1, threads)), last / max(1, minimumStretch))))
        let latest = try lastOutcomeStart(in: log)
        var minutesKeptAfter = last
        if let latest, let first = try log.firstSequence(atOrAfter: MetricsBuckets().oldestMinuteKept(through: latest).microseconds) {
            minutesKeptAfter = max(first, 1) - 1
        }
        let bounds = RebuildStretches.bounds(last: last, parts: parts, minutesKeptAfter: minutesKeptAfter)
        // Stretches on every core leave none to read ahead on.
        let readingAhead = parts < ProcessInfo.processInfo.activeProcessorCount
        let folded = Mutex<[Result<MetricsBuckets, any Error>?]>(Array(repeating: nil, count: parts))
        DispatchQueue.concurrentPerform(iterations: parts) { part in
            let result = Result { () throws -> MetricsBuckets in
                var buckets = MetricsBuckets()
                if let latest { buckets.anticipateRetention(through: latest) }
                try buckets.catchUp(from: log, after: bounds[part], through: bounds[part + 1], readingAhead: readingAhead)
                return buckets
            }
            folded.withLock { $0[part] = result }
        }
        var buckets = MetricsBuckets()
        for result in folded.withLock({ $0 }) { buckets.absorb(try result!.get()) }
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
            if let latest = try lastOutcomeStart(in: log) { buckets.anticipateRetention(through: latest) }
            try buckets.catchUp(from: log, after: position, progress: progress)
            if try log.loadCheckpoint(named: MetricsProjection.checkpointName)?.sequence ?? 0 == position { return buckets }
        }
    }

    /// When the log's last outcome started (nil without outcomes): how far a fold of all of
    /// it gets.
    static func lastOutcomeStart(in log: any EventLog) throws -> Timestamp? {
        var start: Timestamp?
        try log.scanBackward(.traffic, before: .max) { record in
            start = try RequestCompletedView(record).startTime
            return false
        }
        return start
    }

    /// The buckets and position stored in the metrics projection's checkpoint; nil when there
    /// is none or it does not decode (another codec version).
    static func checkpointed(in log: any EventLog) throws -> (MetricsBuckets, SequenceNumber)? {
        guard let checkpoint = try log.loadCheckpoint(named: MetricsProjection.checkpointName),
              let buckets = try? MetricsBuckets(decoding: checkpoint.state) else { return nil }
        return (buckets, checkpoint.sequence)
    }

    /// Folds the outcomes after `sequence` (up to `end`), the log reading ahead unless told not
    /// to (``EventLog/scan(_:after:readingAhead:body:)``); returns the last sequence read.
    @discardableResult
    public mutating func catchUp(
        from log: any EventLog, after sequence: SequenceNumber, through end: SequenceNumber = .max, readingAhead: Bool = true,
        progress: ((UInt64) -> Void)? = nil
    ) throws -> SequenceNumber {
        var last = sequence
        try log.scan(.traffic, after: sequence, readingAhead: readingAhead) { record in
            guard record.sequence <= end else { return false }
            add(try RequestCompletedView(record))
            last = record.sequence
            if let progress, folded % 100_000 == 0 { progress(folded) }
            return true
        }
        return last
    }
}
