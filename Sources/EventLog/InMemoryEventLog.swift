import Synchronization

/// An ``EventLog`` held in memory, for tests and what-if replays. It stores the same encoded,
/// CRC-protected records as the LMDB log, so both behave alike.
public final class InMemoryEventLog: EventLog {
    private struct Storage {
        var streams: [EventStream: [(sequence: SequenceNumber, bytes: [UInt8])]] = [.control: [], .traffic: []]
        var requests: [String: SequenceNumber] = [:]
        var minutes: [UInt32: SequenceNumber] = [:]
        var checkpoints: [String: Checkpoint] = [:]
        var lastSequence: SequenceNumber = 0

        mutating func append(_ envelope: EventEnvelope, to stream: EventStream) throws -> SequenceNumber {
            try append(record: try RecordCodec.encode(envelope), timestamp: envelope.timestamp, to: stream)
        }

        mutating func append(record bytes: [UInt8], timestamp: Int64, to stream: EventStream) throws -> SequenceNumber {
            lastSequence += 1
            streams[stream, default: []].append((lastSequence, bytes))
            let minute = TimeIndex.minute(of: timestamp)
            if minutes[minute] == nil { minutes[minute] = lastSequence }
            return lastSequence
        }

        func index(in stream: EventStream, after sequence: SequenceNumber) -> Int {
            let records = streams[stream] ?? []
            var low = 0
            var high = records.count
            while low < high {
                let middle = (low + high) / 2
                if records[middle].sequence <= sequence { low = middle + 1 } else { high = middle }
            }
            return low
        }
    }

    private let storage = Mutex(Storage())
    public let appendSignal = AppendSignal()

    public init() {}

    public func appendControl(_ events: [EventEnvelope], expectingLastControl: SequenceNumber?) throws -> [RecordedEvent] {
        let recorded = try storage.withLock { storage in
            if let expected = expectingLastControl {
                let actual = storage.streams[.control]?.last?.sequence ?? 0
                guard actual == expected else { throw EventLogError.concurrencyConflict(expected: expected, actual: actual) }
            }
            var copy = storage
            let recorded = try events.map { RecordedEvent(sequence: try copy.append($0, to: .control), stream: .control, envelope: $0) }
            storage = copy
            return recorded
        }
        if !recorded.isEmpty { appendSignal.signal() }
        return recorded
    }

    public func appendTraffic(_ batch: TrafficBatch) throws -> ClosedRange<SequenceNumber>? {
        guard !batch.isEmpty else { return nil }
        let range = try storage.withLock { storage in
            var copy = storage
            let first = copy.lastSequence + 1
            try batch.forEach { record, timestamp in
                let sequence = try copy.append(record: Array(record), timestamp: timestamp, to: .traffic)
                copy.requests[String(decoding: RecordCodec.correlationID(in: record), as: UTF8.self)] = sequence
            }
            storage = copy
            return first ... copy.lastSequence
        }
        appendSignal.signal()
        return range
    }

    public func deleteTraffic(through: SequenceNumber, before: Int64, limit: Int) throws -> TrafficDeletion {
        storage.withLock { storage in
            var deletion = TrafficDeletion()
            let records = storage.streams[.traffic] ?? []
            var index = 0
            while index < records.count, records[index].sequence <= through {
                let sequence = records[index].sequence
                // An unreadable record stops the deletion: nothing is deleted unseen.
                let read = records[index].bytes.withUnsafeBytes { bytes in
                    (try? RecordCodec.view(of: bytes, sequence: sequence, stream: .traffic)).map { ($0.timestamp, $0.correlationID) }
                }
                guard let (timestamp, requestID) = read, timestamp < before else { break }
                if deletion.count == limit {
                    deletion.more = true
                    break
                }
                if storage.requests[requestID] == sequence { storage.requests[requestID] = nil }
                deletion.count += 1
                deletion.lastSequence = sequence
                index += 1
            }
            storage.streams[.traffic] = Array(records[index...])
            return deletion
        }
    }

    public func scanBackward(_ stream: EventStream, before: SequenceNumber, body: (RecordView) throws -> Bool) throws {
        let snapshot = storage.withLock { $0 }
        let records = snapshot.streams[stream] ?? []
        var index = before == 0 ? 0 : snapshot.index(in: stream, after: before - 1)
        while index > 0 {
            index -= 1
            let record = records[index]
            let keepGoing = try record.bytes.withUnsafeBytes { raw in
                try body(RecordCodec.view(of: raw, sequence: record.sequence, stream: stream))
            }
            if !keepGoing { return }
        }
    }

    public func scan(_ stream: EventStream?, after: SequenceNumber, body: (RecordView) throws -> Bool) throws {
        // Copy-on-write: this snapshot is consistent and appends don't wait for the scan.
        let snapshot = storage.withLock { $0 }
        let streams = stream.map { [$0] } ?? EventStream.allCases
        var cursors = streams.map { snapshot.index(in: $0, after: after) }
        while true {
            var next: (slot: Int, sequence: SequenceNumber)?
            for (slot, stream) in streams.enumerated() {
                guard let records = snapshot.streams[stream], cursors[slot] < records.count else { continue }
                let sequence = records[cursors[slot]].sequence
                if next == nil || sequence < next!.sequence { next = (slot, sequence) }
            }
            guard let (slot, sequence) = next else { return }
            let stream = streams[slot]
            let bytes = snapshot.streams[stream]![cursors[slot]].bytes
            cursors[slot] += 1
            let keepGoing = try bytes.withUnsafeBytes { raw in
                try body(RecordCodec.view(of: raw, sequence: sequence, stream: stream))
            }
            if !keepGoing { return }
        }
    }

    public func lastSequence(of stream: EventStream?) throws -> SequenceNumber {
        storage.withLock { storage in
            guard let stream else { return storage.lastSequence }
            return storage.streams[stream]?.last?.sequence ?? 0
        }
    }

    public func firstSequence(atOrAfter timestamp: Int64) throws -> SequenceNumber? {
        let minute = TimeIndex.minute(of: timestamp)
        return storage.withLock { storage in
            storage.minutes.filter { $0.key >= minute }.min { $0.key < $1.key }?.value
        }
    }

    public func sequence(forRequestID requestID: String) throws -> SequenceNumber? {
        storage.withLock { $0.requests[requestID] }
    }

    public func loadCheckpoint(named name: String) throws -> Checkpoint? {
        storage.withLock { $0.checkpoints[name] }
    }

    public func saveCheckpoint(_ checkpoint: Checkpoint) throws {
        storage.withLock { $0.checkpoints[checkpoint.name] = checkpoint }
    }

    public func verify() throws -> VerificationReport {
        var report = VerificationReport()
        forEachStoredRecord { report.check($0, sequence: $1, stream: $2) }
        return report
    }

    public func statistics() throws -> LogStatistics {
        var statistics = LogStatistics(lastSequence: try lastSequence(of: nil))
        forEachStoredRecord { statistics.count($0, sequence: $1, stream: $2) }
        return statistics
    }

    private func forEachStoredRecord(_ body: (UnsafeRawBufferPointer, SequenceNumber, EventStream) -> Void) {
        let snapshot = storage.withLock { $0 }
        for stream in EventStream.allCases {
            for record in snapshot.streams[stream] ?? [] {
                record.bytes.withUnsafeBytes { body($0, record.sequence, stream) }
            }
        }
    }
}
