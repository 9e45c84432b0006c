import EventLog
import GatehouseCore
import Synchronization

/// Keeps ``KeyActivity`` (each key's `last_used_at`) up to date from the outcome log: each read
/// folds in the outcomes recorded since the last one, and every `checkpointInterval` outcomes
/// (100,000 by default) the state is checkpointed with its position, so a restart replays only
/// the tail.
public final class KeyActivityProjection: TrafficRollUp {
    static let checkpointName = "key-activity"
    private let log: any EventLog
    private let checkpointInterval: Int
    private let state: Mutex<(activity: KeyActivity, position: SequenceNumber, sinceCheckpoint: Int)>

    /// Starts from the stored checkpoint (or from nothing).
    public init(log: any EventLog, checkpointInterval: Int = 100_000) throws {
        self.log = log
        self.checkpointInterval = checkpointInterval
        var start = (activity: KeyActivity(), position: SequenceNumber(0), sinceCheckpoint: 0)
        if let checkpoint = try log.loadCheckpoint(named: Self.checkpointName),
           let activity = try? CanonicalJSON.decode(KeyActivity.self, from: checkpoint.state) {
            start = (activity, checkpoint.sequence, 0)
        }
        state = Mutex(start)
    }

    /// The activity including every outcome recorded so far.
    public func current() throws -> KeyActivity {
        try state.withLock { state in
            try catchUp(&state)
            if state.sinceCheckpoint >= checkpointInterval { try checkpoint(&state) }
            return state.activity
        }
    }

    public func checkpointNow() throws -> SequenceNumber {
        try state.withLock { state in
            try catchUp(&state)
            try checkpoint(&state)
            return state.position
        }
    }

    private func catchUp(_ state: inout (activity: KeyActivity, position: SequenceNumber, sinceCheckpoint: Int)) throws {
        try log.scan(.traffic, after: state.position) { record in
            let outcome = try RequestCompletedView(record)
            state.activity.add(key: outcome.apiKeyID, at: outcome.startTime)
            state.position = record.sequence
            state.sinceCheckpoint += 1
            return true
        }
    }

    private func checkpoint(_ state: inout (activity: KeyActivity, position: SequenceNumber, sinceCheckpoint: Int)) throws {
        try log.saveCheckpoint(Checkpoint(name: Self.checkpointName, sequence: state.position, state: try CanonicalJSON.encode(state.activity)))
        state.sinceCheckpoint = 0
    }
}
