import EventLog
import GatehouseCore
import Synchronization

/// The metrics buckets kept current from the outcome log: each read first folds in the outcomes
/// recorded since the previous one (the first read replays the whole log).
public final class MetricsProjection: Sendable {
    private let log: any EventLog
    private let state = Mutex<(buckets: MetricsBuckets, position: SequenceNumber)>((MetricsBuckets(), 0))

    public init(log: any EventLog) {
        self.log = log
    }

    /// Runs `body` on the buckets including every outcome recorded so far.
    public func read<Result>(_ body: (MetricsBuckets) throws -> Result) throws -> Result {
        try state.withLock { state in
            state.position = try state.buckets.catchUp(from: log, after: state.position)
            return try body(state.buckets)
        }
    }
}
