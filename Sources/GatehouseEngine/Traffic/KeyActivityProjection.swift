import EventLog
import GatehouseCore

/// Keeps ``KeyActivity`` (each key's `last_used_at`) up to date from the outcome log (a
/// ``CheckpointedProjection``), checkpointed every `checkpointInterval` outcomes.
public final class KeyActivityProjection: TrafficRollUp {
    static let checkpointName = "key-activity"
    private let projection: CheckpointedProjection<KeyActivity>

    /// Starts from the stored checkpoint (or from nothing).
    public init(log: any EventLog, checkpointInterval: Int = 100_000) throws {
        projection = try CheckpointedProjection(
            log: log, name: Self.checkpointName, interval: checkpointInterval, empty: KeyActivity(),
            decode: { try? CanonicalJSON.decode(KeyActivity.self, from: $0) }, encode: { try CanonicalJSON.encode($0) },
            fold: { $0.add(key: $1.apiKeyID, at: $1.startTime) }
        )
    }

    /// The activity including every outcome recorded so far.
    public func current() throws -> KeyActivity { try projection.read { $0 } }

    public func checkpointNow() throws -> SequenceNumber { try projection.checkpointNow() }
}
