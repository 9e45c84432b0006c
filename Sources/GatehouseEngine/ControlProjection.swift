import EventLog
import GatehouseCore

/// Folds the control stream into a ``ConfigState``: from a checkpoint or from zero, up to the
/// end of the log or up to a point in its history.
public enum ControlProjection {
    /// The checkpoint name of the control-state projection.
    public static let checkpointName = "control-state"

    /// Applies every control event after `state.lastSequence` (and at or before `through`).
    /// A corrupt record stops the fold with its sequence: it is never projected.
    /// - Returns: how many events were applied.
    @discardableResult
    public static func catchUp(_ state: inout ConfigState, from log: any EventLog, through: SequenceNumber = .max) throws -> Int {
        var failure: (any Error)?
        var applied = 0
        try log.scan(.control, after: state.lastSequence) { record in
            guard record.sequence <= through else { return false }
            do {
                state.evolve(try ControlEvent(record), sequence: record.sequence, time: Timestamp(microseconds: record.timestamp))
                applied += 1
                return true
            } catch {
                failure = EventLogError.corruptRecord(sequence: record.sequence, reason: "\(error)")
                return false
            }
        }
        if let failure { throw failure }
        return applied
    }

    /// The state rebuilt from the first event, ignoring checkpoints.
    public static func rebuild(from log: any EventLog, through: SequenceNumber = .max) throws -> ConfigState {
        var state = ConfigState()
        try catchUp(&state, from: log, through: through)
        return state
    }

    /// The state as it was at `time`: every control event recorded at or before it.
    public static func state(at time: Timestamp, in log: any EventLog) throws -> ConfigState {
        var last: SequenceNumber = 0
        try log.scan(.control, after: 0) { record in
            guard record.timestamp <= time.microseconds else { return false }
            last = record.sequence
            return true
        }
        return last == 0 ? ConfigState() : try rebuild(from: log, through: last)
    }

    /// Loads the stored checkpoint; `nil` when there is none or it no longer decodes (the
    /// caller then rebuilds from zero).
    public static func loadCheckpoint(from log: any EventLog) throws -> ConfigState? {
        guard let checkpoint = try log.loadCheckpoint(named: checkpointName),
              var state = try? CanonicalJSON.decode(ConfigState.self, from: checkpoint.state)
        else { return nil }
        state.lastSequence = checkpoint.sequence
        return state
    }

    /// Stores `state` as the checkpoint, state and position in one write.
    public static func saveCheckpoint(_ state: ConfigState, to log: any EventLog) throws {
        try log.saveCheckpoint(Checkpoint(name: checkpointName, sequence: state.lastSequence, state: try CanonicalJSON.encode(state)))
    }
}
