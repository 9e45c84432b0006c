import EventLog
import Testing

@Suite("Traffic batch")
struct TrafficBatchTests {
    static func envelope(_ index: Int) -> EventEnvelope {
        EventEnvelope(
            kind: 1024, schemaVersion: 1, timestamp: 1_000 + Int64(index), correlationID: "req-\(index)",
            payload: Array(repeating: UInt8(truncatingIfNeeded: index), count: index % 7 * 40)
        )
    }

    /// Appends `envelope` the way an outcome is recorded: its payload written into the room the
    /// batch gives, asking for more when the first room is too small.
    static func append(_ envelope: EventEnvelope, to batch: TrafficBatch) throws {
        try batch.append(
            kind: envelope.kind, schemaVersion: envelope.schemaVersion, timestamp: envelope.timestamp,
            correlationID: envelope.correlationID, actor: envelope.actor, payloadCapacity: 16
        ) { room in
            guard room.count >= envelope.payload.count else { return nil }
            envelope.payload.withUnsafeBytes { room.copyMemory(from: $0) }
            return envelope.payload.count
        }
    }

    static func contents(_ batch: TrafficBatch) -> [([UInt8], Int64)] {
        var contents: [([UInt8], Int64)] = []
        batch.forEach { record, timestamp in contents.append((Array(record), timestamp)) }
        return contents
    }

    @Test("records written into the batch, past its first room, read back as RecordCodec encodes them, in order; emptied, it is filled again")
    func recordsInOrder() throws {
        let batch = TrafficBatch(capacity: 64)
        let envelopes = (0 ..< 50).map(Self.envelope)
        for envelope in envelopes { try Self.append(envelope, to: batch) }
        let expected = try envelopes.map { (try RecordCodec.encode($0), $0.timestamp) }
        #expect(batch.count == 50)
        #expect(Self.contents(batch).map(\.0) == expected.map(\.0))
        #expect(Self.contents(batch).map(\.1) == expected.map(\.1))
        #expect(batch.timeSpan?.first == 1_000 && batch.timeSpan?.last == 1_049)

        batch.removeAll()
        #expect(batch.isEmpty && batch.timeSpan == nil && Self.contents(batch).isEmpty)
        try Self.append(envelopes[3], to: batch)
        #expect(Self.contents(batch).map(\.0) == [expected[3].0])
    }

    @Test("a batch made of appends holds their records")
    func fromAppends() throws {
        let appends = try (0 ..< 5).map { try TrafficAppend(envelope: Self.envelope($0)) }
        #expect(Self.contents(TrafficBatch(appends)).map(\.0) == appends.map(\.record))
        #expect(TrafficBatch([]).isEmpty)
    }
}
