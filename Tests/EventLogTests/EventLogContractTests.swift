import EventLog
import GatehouseTesting
import Testing

/// The behaviour every ``EventLog`` must have, run against the in-memory log and LMDB.
@Suite("EventLog contract")
struct EventLogContractTests {
    static func envelope(_ index: Int, kind: UInt16 = 7, minute: Int64 = 29_000_000) -> EventEnvelope {
        EventEnvelope(
            kind: kind, schemaVersion: 1, timestamp: minute * TimeIndex.microsecondsPerMinute + Int64(index),
            correlationID: "cmd-\(index)", actor: "tester", payload: Array("payload \(index)".utf8)
        )
    }

    static func trafficEnvelope(_ index: Int, minute: Int64 = 29_000_000) -> EventEnvelope {
        var envelope = envelope(index, kind: 900, minute: minute)
        envelope.actor = ""
        envelope.correlationID = "req-\(index)"
        return envelope
    }

    static func traffic(_ index: Int, minute: Int64 = 29_000_000) -> TrafficAppend {
        try! TrafficAppend(envelope: trafficEnvelope(index, minute: minute))
    }

    @Test("an empty log has nothing", arguments: LogKind.allCases)
    func emptyLog(kind: LogKind) throws {
        let (log, cleanup) = try kind.makeLog()
        defer { cleanup() }
        #expect(try log.lastSequence(of: nil) == 0)
        #expect(try log.read(nil, after: 0).isEmpty)
        #expect(try log.loadCheckpoint(named: "x") == nil)
        #expect(try log.verify().isClean)
    }

    @Test("one global sequence across both streams, read back merged or per stream", arguments: LogKind.allCases)
    func globalSequence(kind: LogKind) throws {
        let (log, cleanup) = try kind.makeLog()
        defer { cleanup() }
        let first = try log.appendControl([Self.envelope(1), Self.envelope(2)], expectingLastControl: nil)
        #expect(first.map(\.sequence) == [1, 2])
        #expect(try log.appendTraffic([Self.traffic(3), Self.traffic(4), Self.traffic(5)]) == 3 ... 5)
        let second = try log.appendControl([Self.envelope(6)], expectingLastControl: 2)
        #expect(second.map(\.sequence) == [6])

        let merged = try log.read(nil, after: 0)
        #expect(merged.map(\.sequence) == [1, 2, 3, 4, 5, 6])
        #expect(merged.map(\.stream) == [.control, .control, .traffic, .traffic, .traffic, .control])
        #expect(merged[0].envelope == Self.envelope(1))
        #expect(merged[2].envelope == Self.trafficEnvelope(3))
        #expect(try log.read(.control, after: 0).map(\.sequence) == [1, 2, 6])
        #expect(try log.read(.traffic, after: 3).map(\.sequence) == [4, 5])
        #expect(try log.read(nil, after: 2, limit: 2).map(\.sequence) == [3, 4])
        #expect(try log.lastSequence(of: nil) == 6)
        #expect(try log.lastSequence(of: .control) == 6)
        #expect(try log.lastSequence(of: .traffic) == 5)
        #expect(try log.sequence(forRequestID: "req-4") == 4)
        #expect(try log.sequence(forRequestID: "req-404") == nil)
    }

    @Test("request ids in order, out of order and repeated: each finds its latest record", arguments: LogKind.allCases)
    func requestIndexOrder(kind: LogKind) throws {
        let (log, cleanup) = try kind.makeLog()
        defer { cleanup() }
        // Fixed-width ids sort as they are made (appended at the index's end); then some made in
        // the same millisecond out of order, one sent again, and an id that sorts first.
        let ids = ["r-0001", "r-0002", "r-0003", "r-0005", "r-0004", "r-0002", "a-first", "r-0006"]
        func append(_ id: String, _ index: Int) throws -> TrafficAppend {
            var envelope = Self.trafficEnvelope(index)
            envelope.correlationID = id
            return try TrafficAppend(envelope: envelope)
        }
        _ = try log.appendTraffic(Array(try ids.prefix(4).enumerated().map { try append($1, $0) }))
        _ = try log.appendTraffic(Array(try ids.dropFirst(4).enumerated().map { try append($1, $0 + 4) }))
        #expect(try ids.map { try log.sequence(forRequestID: $0) } == [1, 6, 3, 4, 5, 6, 7, 8])
        #expect(try log.sequence(forRequestID: "r-0007") == nil)
    }

    @Test("an append expecting a stale control position is refused and writes nothing", arguments: LogKind.allCases)
    func optimisticConcurrency(kind: LogKind) throws {
        let (log, cleanup) = try kind.makeLog()
        defer { cleanup() }
        _ = try log.appendControl([Self.envelope(1)], expectingLastControl: 0)
        #expect(throws: EventLogError.concurrencyConflict(expected: 0, actual: 1)) {
            try log.appendControl([Self.envelope(2)], expectingLastControl: 0)
        }
        // Traffic does not move the control position.
        _ = try log.appendTraffic([Self.traffic(2)])
        #expect(try log.appendControl([Self.envelope(3)], expectingLastControl: 1).map(\.sequence) == [3])
        #expect(try log.read(.control, after: 0).count == 2)
    }

    @Test("reads by time use the minute index", arguments: LogKind.allCases)
    func timeRanges(kind: LogKind) throws {
        let (log, cleanup) = try kind.makeLog()
        defer { cleanup() }
        let minute = TimeIndex.microsecondsPerMinute
        for offset in 0 ..< 5 {
            _ = try log.appendTraffic((0 ..< 3).map { Self.traffic(offset * 10 + $0, minute: 29_000_000 + Int64(offset)) })
        }
        #expect(try log.firstSequence(atOrAfter: (29_000_000 + 2) * minute + 5) == 7)
        #expect(try log.firstSequence(atOrAfter: (29_000_000 + 9) * minute) == nil)
        let window = (29_000_001 * minute) ... (29_000_002 * minute + 21)
        #expect(try log.read(.traffic, timestamps: window).map(\.sequence) == [4, 5, 6, 7, 8])
    }

    @Test("deleting traffic takes the oldest records up to a sequence and a time, with their request ids, in batches; control records stay", arguments: LogKind.allCases)
    func deleteTraffic(kind: LogKind) throws {
        let (log, cleanup) = try kind.makeLog()
        defer { cleanup() }
        let minute = TimeIndex.microsecondsPerMinute
        // Minutes 0…4, three outcomes each (sequences 1…15 with a control event after each minute).
        for offset in 0 ..< 5 {
            _ = try log.appendTraffic((0 ..< 3).map { Self.traffic(offset * 10 + $0, minute: 29_000_000 + Int64(offset)) })
            _ = try log.appendControl([Self.envelope(100 + offset, minute: 29_000_000 + Int64(offset))], expectingLastControl: nil)
        }
        // Sequences: minute m holds traffic 4m+1…4m+3 and control 4m+4.
        let before = (29_000_000 + 3) * minute
        let first = try log.deleteTraffic(through: 100, before: before, limit: 4)
        #expect(first == TrafficDeletion(count: 4, lastSequence: 5, more: true))
        // The sequence bound holds even when older records remain.
        let second = try log.deleteTraffic(through: 9, before: before, limit: 100)
        #expect(second == TrafficDeletion(count: 3, lastSequence: 9, more: false))
        let third = try log.deleteTraffic(through: 100, before: before, limit: 100)
        #expect(third == TrafficDeletion(count: 2, lastSequence: 11, more: false))
        #expect(try log.deleteTraffic(through: 100, before: before, limit: 100) == TrafficDeletion())

        #expect(try log.read(.traffic, after: 0).map(\.sequence) == [13, 14, 15, 17, 18, 19])
        #expect(try log.read(.control, after: 0).map(\.sequence) == [4, 8, 12, 16, 20])
        #expect(try log.sequence(forRequestID: "req-0") == nil && log.sequence(forRequestID: "req-22") == nil)
        #expect(try log.sequence(forRequestID: "req-30") == 13)
        // A minute whose records are gone resolves to the next record kept.
        let fromStart = try #require(try log.firstSequence(atOrAfter: 29_000_000 * minute))
        #expect(try log.read(.traffic, after: fromStart - 1).first?.sequence == 13)
        #expect(try log.verify().isClean)
        #expect(try log.lastSequence(of: nil) == 20)
    }

    @Test("checkpoints keep state and position together", arguments: LogKind.allCases)
    func checkpoints(kind: LogKind) throws {
        let (log, cleanup) = try kind.makeLog()
        defer { cleanup() }
        try log.saveCheckpoint(Checkpoint(name: "config", sequence: 41, state: [1, 2, 3]))
        try log.saveCheckpoint(Checkpoint(name: "config", sequence: 42, state: [4, 5]))
        try log.saveCheckpoint(Checkpoint(name: "metrics", sequence: 7, state: []))
        #expect(try log.loadCheckpoint(named: "config") == Checkpoint(name: "config", sequence: 42, state: [4, 5]))
        #expect(try log.loadCheckpoint(named: "metrics") == Checkpoint(name: "metrics", sequence: 7, state: []))
    }

    @Test("many batches grow the map and every record verifies", arguments: LogKind.allCases)
    func growthAndVerify(kind: LogKind) throws {
        let (log, cleanup) = try kind.makeLog()
        defer { cleanup() }
        for batch in 0 ..< 20 {
            _ = try log.appendTraffic((0 ..< 250).map { Self.traffic(batch * 250 + $0) })
        }
        _ = try log.appendControl([Self.envelope(0)], expectingLastControl: nil)
        let report = try log.verify()
        #expect(report.isClean)
        #expect(report.validRecords == [.traffic: 5000, .control: 1])
        let statistics = try log.statistics()
        #expect(statistics.lastSequence == 5001)
        #expect(statistics.kinds[.init(stream: .traffic, kind: 900)]?.count == 5000)
        #expect(statistics.kinds[.init(stream: .control, kind: 7)]?.count == 1)
        var seen = 0
        try log.scan(.traffic, after: 0) { view in
            seen += 1
            return view.sequence < 100
        }
        #expect(seen == 100)
    }

    @Test("a backward scan visits one stream newest first, below a bound", arguments: LogKind.allCases)
    func backwardScan(kind: LogKind) throws {
        let (log, cleanup) = try kind.makeLog()
        defer { cleanup() }
        _ = try log.appendTraffic((1 ... 3).map { Self.traffic($0) })      // 1, 2, 3
        _ = try log.appendControl([Self.envelope(4)], expectingLastControl: nil) // 4
        _ = try log.appendTraffic((5 ... 6).map { Self.traffic($0) })      // 5, 6
        func backward(before: SequenceNumber, limit: Int = .max) throws -> [SequenceNumber] {
            var seen: [SequenceNumber] = []
            try log.scanBackward(.traffic, before: before) { view in
                seen.append(view.sequence)
                #expect(view.stream == .traffic)
                return seen.count < limit
            }
            return seen
        }
        #expect(try backward(before: .max) == [6, 5, 3, 2, 1])
        #expect(try backward(before: 5) == [3, 2, 1])
        #expect(try backward(before: 4) == [3, 2, 1])
        #expect(try backward(before: 1) == [])
        #expect(try backward(before: .max, limit: 2) == [6, 5])
        var control: [SequenceNumber] = []
        try log.scanBackward(.control, before: 100) { control.append($0.sequence); return true }
        #expect(control == [4])
    }

    @Test("a tail yields the backlog, then new appends", arguments: LogKind.allCases)
    func tail(kind: LogKind) async throws {
        let (log, cleanup) = try kind.makeLog()
        defer { cleanup() }
        _ = try log.appendControl([Self.envelope(1)], expectingLastControl: nil)
        var iterator = log.tail(nil, after: 0).makeAsyncIterator()
        #expect(try await iterator.next()?.sequence == 1)
        _ = try log.appendTraffic([Self.traffic(2)])
        let next = try await iterator.next()
        #expect(next?.sequence == 2)
        #expect(next?.stream == .traffic)
    }

    @Test("records too large for the envelope are refused", arguments: LogKind.allCases)
    func oversizedFields(kind: LogKind) throws {
        let (log, cleanup) = try kind.makeLog()
        defer { cleanup() }
        var envelope = Self.envelope(1)
        envelope.correlationID = String(repeating: "x", count: 70_000)
        #expect(throws: EventLogError.recordTooLarge("correlation id")) {
            try log.appendControl([envelope], expectingLastControl: nil)
        }
        #expect(try log.lastSequence(of: nil) == 0)
    }
}
