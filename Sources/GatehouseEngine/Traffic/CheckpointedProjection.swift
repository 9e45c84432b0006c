import EventLog
import GatehouseCore
import Synchronization

/// A state folded from the request outcomes, kept current from the log: each read first folds
/// in the outcomes recorded since the previous one, and every `interval` outcomes (or on
/// demand) the state is checkpointed with its position, so a restart folds only the tail.
/// Without a readable checkpoint the first read replays the whole log.
final class CheckpointedProjection<State: Sendable>: Sendable {
    private let log: any EventLog
    private let name: String
    private let interval: Int
    private let encode: @Sendable (State) throws -> [UInt8]
    private let fold: @Sendable (inout State, RequestCompletedView) -> Void
    private let state: Mutex<(value: State, position: SequenceNumber, sinceCheckpoint: Int)>

    /// Starts from the checkpoint `name` when `decode` reads it, else from `empty`.
    init(
        log: any EventLog, name: String, interval: Int, empty: State, decode: ([UInt8]) -> State?,
        encode: @escaping @Sendable (State) throws -> [UInt8], fold: @escaping @Sendable (inout State, RequestCompletedView) -> Void
    ) throws {
        self.log = log
        self.name = name
        self.interval = max(1, interval)
        self.encode = encode
        self.fold = fold
        var start = (value: empty, position: SequenceNumber(0), sinceCheckpoint: 0)
        if let checkpoint = try log.loadCheckpoint(named: name), let value = decode(checkpoint.state) {
            start = (value, checkpoint.sequence, 0)
        }
        state = Mutex(start)
    }

    /// Runs `body` on the state including every outcome recorded so far.
    func read<Result>(_ body: (State) throws -> Result) throws -> Result {
        try state.withLock { state in
            try catchUp(&state)
            if state.sinceCheckpoint >= interval { try checkpoint(&state) }
            return try body(state.value)
        }
    }

    /// Folds every outcome recorded so far and checkpoints; returns the checkpoint's sequence.
    func checkpointNow() throws -> SequenceNumber {
        try state.withLock { state in
            try catchUp(&state)
            try checkpoint(&state)
            return state.position
        }
    }

    private func catchUp(_ state: inout (value: State, position: SequenceNumber, sinceCheckpoint: Int)) throws {
        try log.scan(.traffic, after: state.position) { record in
            fold(&state.value, try RequestCompletedView(record))
            state.position = record.sequence
            state.sinceCheckpoint += 1
            return true
        }
    }

    private func checkpoint(_ state: inout (value: State, position: SequenceNumber, sinceCheckpoint: Int)) throws {
        try log.saveCheckpoint(Checkpoint(name: name, sequence: state.position, state: try encode(state.value)))
        state.sinceCheckpoint = 0
    }
}
