import EventLog
import GatehouseCore

/// Deletes raw request outcomes older than the retention window — only those every
/// ``TrafficRollUp`` has checkpointed past, so the metrics buckets and key activity keep their
/// figures — and records each pruning as an ``OutcomesPruned`` control event.
///
/// The window is at least ``minimumDays``: the quota projection, API key usage (this month and
/// 30 days of history) and the request log read raw outcomes of the current month.
public struct TrafficRetention: Sendable {
    /// The shortest window allowed: the longest month plus a day.
    public static let minimumDays = 32

    private let log: any EventLog
    private let rollUps: [any TrafficRollUp]
    private let days: Int
    private let batchSize: Int

    /// - Parameters:
    ///   - days: raw outcomes are kept this long (at least ``minimumDays``).
    ///   - batchSize: records deleted per write transaction, so the outcome writer never waits long.
    public init(log: any EventLog, rollUps: [any TrafficRollUp], days: Int, batchSize: Int = 20_000) throws {
        guard days >= Self.minimumDays else { throw RetentionTooShort(days: days) }
        precondition(!rollUps.isEmpty, "without roll-ups pruning would lose the outcomes' figures")
        self.log = log
        self.rollUps = rollUps
        self.days = days
        self.batchSize = max(1, batchSize)
    }

    /// Thrown for a window shorter than ``TrafficRetention/minimumDays``.
    public struct RetentionTooShort: Error, CustomStringConvertible {
        public let days: Int
        public var description: String { "a retention of \(days) days is below the minimum of \(TrafficRetention.minimumDays)" }
    }

    /// Checkpoints every roll-up, then deletes the outcomes that started before `now` minus the
    /// window and are covered by all checkpoints. Returns what was pruned (nil: nothing was
    /// eligible); the caller records it.
    public func prune(now: Timestamp) throws -> OutcomesPruned? {
        let rolledUp = try rollUps.map { try $0.checkpointNow() }.min() ?? 0
        let before = now.adding(seconds: -Int64(days) * 86_400)
        var pruned = OutcomesPruned(count: 0, throughSequence: 0, before: before)
        var deletion: TrafficDeletion
        repeat {
            deletion = try log.deleteTraffic(through: rolledUp, before: before.microseconds, limit: batchSize)
            pruned.count += deletion.count
            if let last = deletion.lastSequence { pruned.throughSequence = last }
        } while deletion.more
        return pruned.count > 0 ? pruned : nil
    }
}
