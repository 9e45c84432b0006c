import EventLog
import GatehouseCore

/// The metrics buckets kept current from the outcome log (a ``CheckpointedProjection``),
/// checkpointed every `checkpointInterval` outcomes in their compact binary form.
public final class MetricsProjection: TrafficRollUp {
    static let checkpointName = "metrics"
    private let projection: CheckpointedProjection<MetricsBuckets>

    public init(log: any EventLog, checkpointInterval: Int = 250_000) throws {
        projection = try CheckpointedProjection(
            log: log, name: Self.checkpointName, interval: checkpointInterval, empty: MetricsBuckets(),
            decode: { try? MetricsBuckets(decoding: $0) }, encode: { $0.encoded() }, fold: { $0.add($1) }
        )
    }

    /// Runs `body` on the buckets including every outcome recorded so far.
    public func read<Result>(_ body: (MetricsBuckets) throws -> Result) throws -> Result { try projection.read(body) }

    public func checkpointNow() throws -> SequenceNumber { try projection.checkpointNow() }
}
