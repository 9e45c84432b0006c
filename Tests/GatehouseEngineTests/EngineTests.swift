import EventLog
import EventLogLMDB
import GatehouseCore
import GatehouseEngine
import GatehouseTesting
import Testing

@Suite("Engine")
struct EngineTests {
    static func context(_ second: Int64, actor: String = "test") -> CommandContext {
        CommandContext(time: Timestamp(microseconds: 1_800_000_000_000_000 + second * 1_000_000), actor: actor)
    }

    @Test("commands become durable events; a reopened engine sees the same state", arguments: [LogKind.lmdb])
    func durability(kind: LogKind) throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let gateway = Samples.gateway()
        let service = Samples.service(gateway.id)
        do {
            let engine = try GatehouseEngine(log: LMDBEventLog(directory: directory.path))
            let recorded = try engine.execute([.createGateway(gateway), .registerBackendService(service)], context: Self.context(1, actor: "alice"))
            #expect(recorded.map(\.sequence) == [1, 2])
            #expect(recorded.allSatisfy { $0.envelope.actor == "alice" })
            #expect(engine.snapshot.gateways.map(\.gateway.name) == ["wedsync"])
        }
        let reopened = try GatehouseEngine(log: LMDBEventLog(directory: directory.path))
        #expect(reopened.state.gateways[gateway.id]?.name == "wedsync")
        #expect(reopened.state.backendServices[service.id] != nil)
        #expect(reopened.state.lastSequence == 2)
    }

    @Test("a refused command appends nothing", arguments: LogKind.allCases)
    func refusalAppendsNothing(kind: LogKind) throws {
        let (log, cleanup) = try kind.makeLog()
        defer { cleanup() }
        let engine = try GatehouseEngine(log: log)
        try engine.execute([.createGateway(Samples.gateway())], context: Self.context(1))
        #expect(throws: EngineError.self) {
            try engine.execute([.createGateway(Samples.gateway("fine")), .createGateway(Samples.gateway())], context: Self.context(2))
        }
        #expect(try log.lastSequence(of: nil) == 1)
        #expect(engine.state.gateways.count == 1)
    }

    @Test("two engines on one log (two processes) never decide on stale state")
    func concurrentWriters() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let first = try GatehouseEngine(log: LMDBEventLog(directory: directory.path))
        let second = try GatehouseEngine(log: LMDBEventLog(directory: directory.path))
        try first.execute([.createGateway(Samples.gateway())], context: Self.context(1))
        // The second engine has not seen the gateway yet; its decision must still refuse a duplicate.
        #expect(throws: EngineError.self) { try second.execute([.createGateway(Samples.gateway())], context: Self.context(2)) }
        try second.execute([.createGateway(Samples.gateway("other"))], context: Self.context(3))
        try first.refresh()
        #expect(Set(first.state.gateways.values.map(\.name)) == ["wedsync", "other"])
    }

    @Test("the snapshot generation moves exactly when a new snapshot is published, also one from another process")
    func snapshotGeneration() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let reader = try GatehouseEngine(log: LMDBEventLog(directory: directory.path))
        let writer = try GatehouseEngine(log: LMDBEventLog(directory: directory.path))
        let start = reader.snapshotGeneration
        try reader.refresh()
        #expect(reader.snapshotGeneration == start, "nothing new, nothing published")
        try writer.execute([.createGateway(Samples.gateway())], context: Self.context(1))
        #expect(reader.snapshotGeneration == start)
        try reader.refresh()
        #expect(reader.snapshotGeneration == start + 1)
        #expect(reader.snapshot.gateways.map(\.gateway.name) == ["wedsync"])
        try reader.execute([.createGateway(Samples.gateway("other"))], context: Self.context(2))
        #expect(reader.snapshotGeneration == start + 2)
    }

    @Test("operational facts evolve health and breaker state")
    func operationalFacts() throws {
        let engine = try GatehouseEngine(log: InMemoryEventLog())
        let gateway = Samples.gateway()
        let service = Samples.service(gateway.id)
        try engine.execute([.createGateway(gateway), .registerBackendService(service)], context: Self.context(1))
        let opened = Timestamp(microseconds: 1_800_000_100_000_000)
        try engine.record(
            [.instanceHealthChanged(InstanceHealthChange(backendServiceID: service.id, isHealthy: false, reason: "passive_ejection")),
             .circuitOpened(CircuitTransition(backendServiceID: service.id, failureCount: 5, nextAttemptAt: opened.adding(seconds: 60)))],
            time: opened, actor: "system:health"
        )
        #expect(engine.state.backendServices[service.id]?.isHealthy == false)
        let breaker = try #require(engine.state.circuitBreakers[service.id])
        #expect(breaker.currentState == .open && breaker.failureCount == 5 && breaker.lastFailureAt == opened)
        #expect(engine.state.revision(of: service.id) == 2, "facts do not bump the config revision")
    }

    @Test("rebuild from zero equals incremental state, and checkpoint + tail equals rebuild", arguments: [LogKind.inMemory, .lmdb], [1, 2, 3])
    func rebuildProperty(kind: LogKind, seed: UInt64) throws {
        let (log, cleanup) = try kind.makeLog()
        defer { cleanup() }
        let engine = try GatehouseEngine(log: log, configuration: .init(checkpointInterval: 7))
        var commands = RandomCommands(seed: seed)
        var accepted = 0
        for step in 0 ..< 300 {
            let command = commands.next(for: engine.state)
            if (try? engine.execute([command], context: Self.context(Int64(step)))) != nil { accepted += 1 }
            if step % 40 == 0 {
                _ = try log.appendTraffic([EventCodecSamples.outcome(step).trafficAppend()])
            }
        }
        #expect(accepted > 100)
        let rebuilt = try ControlProjection.rebuild(from: log)
        #expect(rebuilt == engine.state)
        let checkpoint = try #require(try log.loadCheckpoint(named: ControlProjection.checkpointName))
        #expect(checkpoint.sequence > 0 && checkpoint.sequence <= engine.state.lastSequence)
        let resumed = try GatehouseEngine(log: log)
        #expect(resumed.state == rebuilt)
        #expect(try engine.rebuild() == rebuilt)
    }

    @Test("config as of a sequence or a time is the fold up to there")
    func timeTravel() throws {
        let log = InMemoryEventLog()
        let engine = try GatehouseEngine(log: log)
        try engine.execute([.createGateway(Samples.gateway("first"))], context: Self.context(10))
        try engine.execute([.createGateway(Samples.gateway("second"))], context: Self.context(20))
        #expect(try ControlProjection.rebuild(from: log, through: 1).gateways.values.map(\.name) == ["first"])
        let atFifteen = try ControlProjection.state(at: Self.context(15).time, in: log)
        #expect(atFifteen.gateways.values.map(\.name) == ["first"])
        #expect(try ControlProjection.state(at: Self.context(5).time, in: log).gateways.isEmpty)
    }
}

/// Outcome samples for engine tests.
enum EventCodecSamples {
    static func outcome(_ index: Int) -> RequestCompleted {
        RequestCompleted(
            requestID: "engine-\(index)", startTime: Timestamp(microseconds: 1_800_000_000_000_000 + Int64(index)), totalMicros: 250,
            method: "GET", path: "/api/v1/weddings/\(index)", status: 200, decision: .proxied
        )
    }
}
