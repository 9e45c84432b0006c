import EventLog
import GatehouseCore
import Synchronization

/// The metrics buckets kept current from the outcome log: each read first folds in the outcomes
/// recorded since the previous one. Every `checkpointInterval` outcomes the buckets are
/// checkpointed with their position (a compact binary form), so a restart folds only the tail;
/// without a usable checkpoint the first read replays the whole log.
public final class MetricsProjection: TrafficRollUp {
    static let checkpointName = "metrics"
    private let log: any EventLog
    private let checkpointInterval: UInt64
    private let state: Mutex<(buckets: MetricsBuckets, position: SequenceNumber, checkpointedAt: UInt64)>

    public init(log: any EventLog, checkpointInterval: Int = 250_000) throws {
        self.log = log
        self.checkpointInterval = UInt64(max(1, checkpointInterval))
        var start = (buckets: MetricsBuckets(), position: SequenceNumber(0), checkpointedAt: UInt64(0))
        if let (buckets, position) = try MetricsBuckets.checkpointed(in: log) { start = (buckets, position, buckets.folded) }
        state = Mutex(start)
    }

    /// Runs `body` on the buckets including every outcome recorded so far.
    public func read<Result>(_ body: (MetricsBuckets) throws -> Result) throws -> Result {
        try state.withLock { state in
            state.position = try state.buckets.catchUp(from: log, after: state.position)
            if state.buckets.folded - state.checkpointedAt >= checkpointInterval {
                try log.saveCheckpoint(Checkpoint(name: Self.checkpointName, sequence: state.position, state: state.buckets.encoded()))
                state.checkpointedAt = state.buckets.folded
            }
            return try body(state.buckets)
        }
    }

    public func checkpointNow() throws -> SequenceNumber {
        try state.withLock { state in
            state.position = try state.buckets.catchUp(from: log, after: state.position)
            try log.saveCheckpoint(Checkpoint(name: Self.checkpointName, sequence: state.position, state: state.buckets.encoded()))
            state.checkpointedAt = state.buckets.folded
            return state.position
        }
    }
}
