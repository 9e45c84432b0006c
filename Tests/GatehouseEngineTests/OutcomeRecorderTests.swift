import EventLog
import GatehouseCore
import GatehouseEngine
import GatehouseTesting
import Testing

@Suite("Outcome recorder")
struct OutcomeRecorderTests {
    @Test("every queued outcome reaches the traffic stream, in batches, findable by request id", arguments: LogKind.allCases)
    func writesEverything(kind: LogKind) throws {
        let (log, cleanup) = try kind.makeLog()
        defer { cleanup() }
        let recorder = OutcomeRecorder(log: log, configuration: .init(batchSize: 100, flushInterval: .milliseconds(20)))
        var traffic = SyntheticTraffic(seed: 7)
        let outcomes = (0 ..< 1050).map { traffic.next(at: Timestamp(microseconds: 1_800_000_000_000_000 + Int64($0))) }
        for outcome in outcomes { #expect(recorder.record(outcome)) }
        recorder.shutdown()
        let statistics = recorder.statistics
        #expect(statistics.written == 1050 && statistics.dropped == 0 && statistics.commits >= 11)
        var decoded: [RequestCompleted] = []
        try log.scan(.traffic, after: 0) { record in
            decoded.append(try RequestCompleted(record))
            return true
        }
        #expect(decoded == outcomes)
        let sequence = try #require(try log.sequence(forRequestID: outcomes[500].requestID))
        #expect(try log.read(.traffic, after: sequence - 1, limit: 1).first?.envelope.correlationID == outcomes[500].requestID)
        #expect(recorder.record(outcomes[0]) == false, "a stopped recorder drops and counts")
    }

    @Test("a full queue drops without blocking, counts, and the log records the gap")
    func overflowIsRecorded() throws {
        let log = InMemoryEventLog()
        let recorder = OutcomeRecorder(log: log, configuration: .init(batchSize: 1000, flushInterval: .seconds(3600), queueCapacity: 10))
        var traffic = SyntheticTraffic(seed: 9)
        let accepted = (0 ..< 25).filter { recorder.record(traffic.next(at: Timestamp(microseconds: 1_000 + Int64($0)))) }.count
        #expect(accepted == 10)
        recorder.shutdown()
        #expect(recorder.statistics.dropped == 15)
        #expect(recorder.statistics.written == 10)
        let control = try log.read(.control, after: 0)
        #expect(control.count == 1)
        guard case .outcomesDropped(let dropped) = try ControlEvent(control[0]) else { Issue.record("expected OutcomesDropped"); return }
        #expect(dropped.count == 15)
        #expect(dropped.from == Timestamp(microseconds: 1_010) && dropped.to == Timestamp(microseconds: 1_024))
        let engine = try GatehouseEngine(log: log)
        #expect(engine.state.droppedOutcomes == 15)
    }
}
