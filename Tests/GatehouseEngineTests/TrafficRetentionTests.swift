import EventLog
import GatehouseCore
import GatehouseEngine
import Testing

/// Retention: raw outcomes past the window are deleted only once every roll-up has
/// checkpointed past them, and the rolled-up figures do not change.
@Suite("traffic retention")
struct TrafficRetentionTests {
    /// A roll-up that stopped at a fixed position (a projection lagging behind).
    struct LaggingRollUp: TrafficRollUp {
        let position: SequenceNumber
        func checkpointNow() throws -> SequenceNumber { position }
    }

    let now = Timestamp(microseconds: 1_800_000_000 * 1_000_000)

    /// 40 days of outcomes, one every 20 minutes, ending now.
    func log() throws -> (InMemoryEventLog, [RequestCompleted]) {
        let log = InMemoryEventLog()
        var traffic = SyntheticTraffic(seed: 11)
        let count = 40 * 72
        let outcomes = (0 ..< count).map { traffic.next(at: now.adding(seconds: Int64($0 - count) * 1_200)) }
        _ = try log.appendTraffic(outcomes.map { $0.trafficAppend() })
        return (log, outcomes)
    }

    @Test("outcomes older than the window go; the metrics buckets and key activity answer as before, also after a restart")
    func prunesRolledUpOutcomes() throws {
        let (log, outcomes) = try log()
        let metrics = try MetricsProjection(log: log)
        let activity = try KeyActivityProjection(log: log)
        let whole = (from: now.adding(seconds: -41 * 86_400), to: now)
        let totalBefore = try metrics.read { $0.tally(.all, from: whole.from, to: whole.to) }
        let lastUsedBefore = try activity.current()

        let retention = try TrafficRetention(log: log, rollUps: [metrics, activity], days: 32, batchSize: 500)
        let pruned = try #require(try retention.prune(now: now))
        let cutoff = now.adding(seconds: -32 * 86_400)
        let old = outcomes.filter { $0.startTime < cutoff }
        #expect(pruned.count == old.count && pruned.before == cutoff)
        #expect(pruned.throughSequence == SequenceNumber(old.count))
        #expect(try log.read(.traffic, after: 0).count == outcomes.count - old.count)
        #expect(try retention.prune(now: now) == nil)

        #expect(try metrics.read { $0.tally(.all, from: whole.from, to: whole.to) } == totalBefore)
        #expect(try MetricsBuckets.current(from: log).tally(.all, from: whole.from, to: whole.to) == totalBefore)
        #expect(try MetricsProjection(log: log).read { $0.tally(.all, from: whole.from, to: whole.to) } == totalBefore)
        #expect(try KeyActivityProjection(log: log).current() == lastUsedBefore)
    }

    @Test("a roll-up that lags holds back the deletion; windows below the minimum are refused")
    func lagAndMinimum() throws {
        let (log, _) = try log()
        let metrics = try MetricsProjection(log: log)
        let retention = try TrafficRetention(log: log, rollUps: [metrics, LaggingRollUp(position: 100)], days: 32)
        #expect(try retention.prune(now: now)?.throughSequence == 100)
        #expect(try log.read(.traffic, after: 0).first?.sequence == 101)
        #expect(throws: TrafficRetention.RetentionTooShort.self) { try TrafficRetention(log: log, rollUps: [metrics], days: 31) }
    }
}
