import EventLog
import Foundation
import GatehouseCore
import Synchronization

/// Runs the control side: command → decide → durable append → evolve → publish a new
/// snapshot. Starts from the stored checkpoint plus the log's tail; can rebuild from zero.
///
/// ```swift
/// let engine = try GatehouseEngine(log: try LMDBEventLog(directory: "./data"))
/// let events = try engine.execute([.createGateway(gateway)], context: CommandContext(time: .now(), actor: "cli"))
/// let snapshot = engine.snapshot   // what the proxy reads
/// ```
public final class GatehouseEngine: Sendable {
    /// Tunables.
    public struct Configuration: Sendable {
        /// Write a checkpoint after this many control events since the last one.
        public var checkpointInterval: Int
        /// Attempts before giving up when other processes keep appending.
        public var maxAttempts: Int

        public init(checkpointInterval: Int = 500, maxAttempts: Int = 8) {
            self.checkpointInterval = checkpointInterval
            self.maxAttempts = maxAttempts
        }
    }

    private struct Projection {
        var state: ConfigState
        var snapshot: ConfigSnapshot
        var eventsSinceCheckpoint = 0
    }

    /// The log this engine writes to.
    public let log: any EventLog
    private let configuration: Configuration
    private let projection: Mutex<Projection>
    private let generation = Atomic<UInt64>(0)
    /// Serialises command execution (decide and append must see the same state).
    private let commandLock = NSLock()

    /// Opens the engine on `log`: loads the checkpoint (or starts from zero) and replays the tail.
    public init(log: any EventLog, configuration: Configuration = Configuration()) throws {
        self.log = log
        self.configuration = configuration
        var state = try ControlProjection.loadCheckpoint(from: log) ?? ConfigState()
        try ControlProjection.catchUp(&state, from: log)
        projection = Mutex(Projection(state: state, snapshot: ConfigSnapshot(state: state)))
    }

    /// The current configuration.
    public var state: ConfigState { projection.withLock { $0.state } }

    /// The current frozen snapshot for the data plane.
    public var snapshot: ConfigSnapshot { projection.withLock { $0.snapshot } }

    /// Changes whenever a new snapshot is published (after it is readable). Hot readers keep
    /// their own copy of ``snapshot`` and take the lock only when this moved.
    public var snapshotGeneration: UInt64 { generation.load(ordering: .acquiring) }

    /// Decides `commands` as one all-or-nothing batch, appends the events durably (fsync) and
    /// publishes the new state. Returns the recorded events; empty when nothing changed.
    ///
    /// - Throws: ``EngineError/rejected(_:)`` when the decider refuses; nothing is appended.
    @discardableResult
    public func execute(_ commands: [ConfigCommand], context: CommandContext, correlationID: String = UUID().uuidString) throws -> [RecordedEvent] {
        commandLock.lock()
        defer { commandLock.unlock() }
        for _ in 0 ..< configuration.maxAttempts {
            try refresh()
            let state = self.state
            let events: [ControlEvent]
            do {
                events = try ConfigDecider.decide(commands, state: state, context: context)
            } catch {
                throw EngineError.rejected(error)
            }
            guard !events.isEmpty else { return [] }
            let envelopes = try events.map { try $0.envelope(at: context.time, correlationID: correlationID, actor: context.actor) }
            do {
                let recorded = try log.appendControl(envelopes, expectingLastControl: state.lastSequence)
                try apply(zip(events, recorded).map { ($0, $1.sequence) }, time: context.time)
                return recorded
            } catch EventLogError.concurrencyConflict {
                continue
            }
        }
        throw EngineError.tooMuchContention(attempts: configuration.maxAttempts)
    }

    /// Appends operational facts (health, breakers, invalidations, alerts). They are facts, not
    /// requests: nothing validates them, and they are durable when this returns.
    @discardableResult
    public func record(_ events: [ControlEvent], time: Timestamp, actor: String, correlationID: String = UUID().uuidString) throws -> [RecordedEvent] {
        guard !events.isEmpty else { return [] }
        let envelopes = try events.map { try $0.envelope(at: time, correlationID: correlationID, actor: actor) }
        let recorded = try log.appendControl(envelopes, expectingLastControl: nil)
        try refresh()
        return recorded
    }

    /// Folds in control events other processes appended since the last look.
    public func refresh() throws {
        var state = self.state
        let applied = try ControlProjection.catchUp(&state, from: log)
        guard applied > 0 else { return }
        try publish(state, newEvents: applied)
    }

    /// Rebuilds the state from the first event, replaces the current one and checkpoints it.
    @discardableResult
    public func rebuild() throws -> ConfigState {
        commandLock.lock()
        defer { commandLock.unlock() }
        let state = try ControlProjection.rebuild(from: log)
        projection.withLock { $0 = Projection(state: state, snapshot: ConfigSnapshot(state: state)) }
        generation.add(1, ordering: .releasing)
        try ControlProjection.saveCheckpoint(state, to: log)
        return state
    }

    /// Writes a checkpoint of the current state now.
    public func checkpoint() throws {
        let state = projection.withLock { projection in
            projection.eventsSinceCheckpoint = 0
            return projection.state
        }
        try ControlProjection.saveCheckpoint(state, to: log)
    }

    private func apply(_ events: [(ControlEvent, SequenceNumber)], time: Timestamp) throws {
        var state = self.state
        for (event, sequence) in events { state.evolve(event, sequence: sequence, time: time) }
        try publish(state, newEvents: events.count)
    }

    private func publish(_ state: ConfigState, newEvents: Int) throws {
        let snapshot = ConfigSnapshot(state: state)
        let due = projection.withLock { projection in
            guard state.lastSequence > projection.state.lastSequence else { return false }
            projection.state = state
            projection.snapshot = snapshot
            projection.eventsSinceCheckpoint += newEvents
            return projection.eventsSinceCheckpoint >= configuration.checkpointInterval
        }
        generation.add(1, ordering: .releasing)
        if due { try checkpoint() }
    }
}
