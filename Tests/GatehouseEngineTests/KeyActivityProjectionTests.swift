import EventLog
import GatehouseCore
import GatehouseEngine
import Testing

@Suite("key activity projection")
struct KeyActivityProjectionTests {
    static func outcome(_ key: APIKeyID?, at seconds: Int64, decision: RequestDecision = .proxied) -> TrafficAppend {
        RequestCompleted(
            requestID: "r\(seconds)", startTime: Timestamp(microseconds: seconds * 1_000_000), totalMicros: 10, apiKeyID: key, method: "GET",
            path: "/x", query: "", status: 200, decision: decision
        ).trafficAppend()
    }

    @Test("last use per key, folded incrementally, checkpointed, and resumed from the checkpoint")
    func lastUsed() throws {
        let log = InMemoryEventLog()
        let ada = APIKeyID(), bea = APIKeyID()
        _ = try log.appendTraffic([Self.outcome(ada, at: 100), Self.outcome(nil, at: 101), Self.outcome(bea, at: 102), Self.outcome(ada, at: 150, decision: .rateLimited)])
        let projection = try KeyActivityProjection(log: log, checkpointInterval: 3)
        #expect(try projection.current().lastUsed == [ada: Timestamp(microseconds: 150_000_000), bea: Timestamp(microseconds: 102_000_000)])
        #expect(try log.loadCheckpoint(named: "key-activity")?.sequence == 4)
        _ = try log.appendTraffic([Self.outcome(bea, at: 200)])
        #expect(try projection.current().lastUsed[bea] == Timestamp(microseconds: 200_000_000))
        let resumed = try KeyActivityProjection(log: log)
        #expect(try resumed.current().lastUsed == [ada: Timestamp(microseconds: 150_000_000), bea: Timestamp(microseconds: 200_000_000)])
    }
}
