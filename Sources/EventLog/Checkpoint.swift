/// A projection's persisted state and the last sequence folded into it. Events at or below
/// `sequence` are skipped when the projection resumes.
public struct Checkpoint: Sendable, Hashable {
    /// The projection's name, e.g. `control-state`.
    public var name: String
    /// The last sequence applied to `state`.
    public var sequence: SequenceNumber
    /// The projection's encoded state.
    public var state: [UInt8]

    public init(name: String, sequence: SequenceNumber, state: [UInt8]) {
        self.name = name
        self.sequence = sequence
        self.state = state
    }
}
