import EventLog

/// A projection of the request outcomes that checkpoints what it has folded: once every
/// roll-up has checkpointed past an outcome, the raw record may be pruned (see
/// ``TrafficRetention``) without changing what the projection answers.
public protocol TrafficRollUp: Sendable {
    /// Folds every outcome recorded so far and checkpoints; returns the checkpoint's sequence.
    func checkpointNow() throws -> SequenceNumber
}
