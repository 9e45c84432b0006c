import CLMDB
import EventLog
import Foundation

/// The production ``EventLog``: one LMDB environment in a data directory, with named databases
///
/// | database   | key → value                                   |
/// |------------|-----------------------------------------------|
/// | `control`  | sequence (u64 BE) → record                    |
/// | `traffic`  | sequence (u64 BE) → record                    |
/// | `requests` | request id (UTF-8) → sequence                 |
/// | `time`     | epoch minute (u32 BE) → first sequence in it  |
/// | `meta`     | `format`, `last-sequence`, `checkpoint/<name>`|
///
/// Every append commits one write transaction, which LMDB fsyncs before returning: control
/// appends are durable per call, traffic per batch. The map doubles when full.
///
/// ```swift
/// let log = try LMDBEventLog(directory: "./data")
/// let range = try log.appendTraffic(batch)
/// ```
public final class LMDBEventLog: EventLog {
    /// The on-disk layout version this code reads and writes.
    public static let formatVersion: UInt8 = 1

    private let environment: LMDBEnvironment
    private let control: MDB_dbi
    private let traffic: MDB_dbi
    private let requests: MDB_dbi
    private let minutes: MDB_dbi
    private let meta: MDB_dbi
    public let appendSignal = AppendSignal()
    /// How many bytes of records a long read passes between releases of the log's pages.
    private let pageReleaseInterval: Int

    /// Opens or creates the log in `directory`.
    /// - Parameters:
    ///   - initialMapSize: the starting map size; it grows by doubling when full.
    ///   - pageReleaseInterval: a scan releases the log's resident pages (see
    ///     ``releaseResidentPages()``) each time it has read this many more bytes of records,
    ///     so a scan over the whole log does not map all of it into the process at once.
    public init(directory: String, initialMapSize: Int = 64 << 20, pageReleaseInterval: Int = 16 << 20) throws {
        self.pageReleaseInterval = max(1, pageReleaseInterval)
        environment = try LMDBEnvironment(path: directory, mapSize: initialMapSize, maxDatabases: 8)
        control = try environment.openDatabase(named: "control")
        traffic = try environment.openDatabase(named: "traffic")
        requests = try environment.openDatabase(named: "requests")
        minutes = try environment.openDatabase(named: "time")
        meta = try environment.openDatabase(named: "meta")
        try checkFormat()
    }

    /// The directory holding the data files.
    public var directory: String { environment.path }

    private func checkFormat() throws {
        try environment.write { transaction in
            let key = MetaKey.format
            if let stored = try key.withBytes({ try transaction.get(meta, key: $0) }) {
                guard stored.count == 1, stored[0] == Self.formatVersion else {
                    throw EventLogError.storage(code: -1, message: "unsupported log format \(Array(stored)) in \(directory)")
                }
            } else {
                _ = try key.withBytes { key in
                    try withUnsafeBytes(of: Self.formatVersion) { try transaction.put(meta, key: key, value: $0) }
                }
            }
        }
    }

    // MARK: Appending

    public func appendControl(_ events: [EventEnvelope], expectingLastControl: SequenceNumber?) throws -> [RecordedEvent] {
        guard !events.isEmpty else { return [] }
        let recorded = try environment.write { transaction in
            if let expected = expectingLastControl {
                let actual = try lastKey(of: control, in: transaction)
                guard actual == expected else { throw EventLogError.concurrencyConflict(expected: expected, actual: actual) }
            }
            var appender = try Appender(log: self, transaction: transaction)
            let recorded = try events.map { envelope in
                RecordedEvent(sequence: try appender.append(envelope, to: control), stream: .control, envelope: envelope)
            }
            try appender.finish()
            return recorded
        }
        appendSignal.signal()
        return recorded
    }

    public func appendTraffic(_ batch: TrafficBatch) throws -> ClosedRange<SequenceNumber>? {
        guard !batch.isEmpty else { return nil }
        let range = try environment.write { transaction in
            var appender = try Appender(log: self, transaction: transaction)
            let first = appender.lastSequence + 1
            try batch.forEach { record, timestamp in
                let sequence = try appender.append(record: record, timestamp: timestamp, to: traffic)
                try withUnsafeBytes(of: sequence.bigEndian) { value in
                    _ = try transaction.put(requests, key: RecordCodec.correlationID(in: record), value: value)
                }
            }
            try appender.finish()
            return first ... appender.lastSequence
        }
        appendSignal.signal()
        return range
    }

    /// Assigns sequences and maintains the time index and the last sequence within one write.
    private struct Appender {
        let log: LMDBEventLog
        let transaction: LMDBTransaction
        var lastSequence: SequenceNumber
        var lastMinute: UInt32?

        init(log: LMDBEventLog, transaction: LMDBTransaction) throws {
            self.log = log
            self.transaction = transaction
            self.lastSequence = try log.storedLastSequence(in: transaction)
        }

        mutating func append(_ envelope: EventEnvelope, to database: MDB_dbi) throws -> SequenceNumber {
            try RecordCodec.encode(envelope).withUnsafeBytes { try append(record: $0, timestamp: envelope.timestamp, to: database) }
        }

        mutating func append(record: UnsafeRawBufferPointer, timestamp: Int64, to database: MDB_dbi) throws -> SequenceNumber {
            lastSequence += 1
            let sequence = lastSequence
            _ = try withUnsafeBytes(of: sequence.bigEndian) { key in
                try transaction.put(database, key: key, value: record, flags: MDB_APPEND)
            }
            let minute = TimeIndex.minute(of: timestamp)
            if minute != lastMinute {
                lastMinute = minute
                _ = try withUnsafeBytes(of: minute.bigEndian) { key in
                    try withUnsafeBytes(of: sequence.bigEndian) { value in
                        try transaction.put(log.minutes, key: key, value: value, flags: MDB_NOOVERWRITE)
                    }
                }
            }
            return sequence
        }

        func finish() throws {
            _ = try MetaKey.lastSequence.withBytes { key in
                try withUnsafeBytes(of: lastSequence.bigEndian) { try transaction.put(log.meta, key: key, value: $0) }
            }
        }
    }

    // MARK: Retention

    public func deleteTraffic(through: SequenceNumber, before: Int64, limit: Int) throws -> TrafficDeletion {
        let deletion = try environment.write { transaction in
            try transaction.withCursor(traffic) { cursor in
                var deletion = TrafficDeletion()
                var entry = try cursor.move(MDB_FIRST)
                while let (key, value) = entry {
                    let sequence = key.loadBigEndian(UInt64.self, at: 0)
                    guard sequence <= through else { break }
                    // A corrupt record stops the deletion (it throws): nothing is deleted unseen.
                    let record = try RecordCodec.view(of: value, sequence: sequence, stream: .traffic)
                    guard record.timestamp < before else { break }
                    if deletion.count == limit {
                        deletion.more = true
                        break
                    }
                    var requestID = record.correlationID
                    try requestID.withUTF8 { id in
                        let key = UnsafeRawBufferPointer(id)
                        if let indexed = try transaction.get(requests, key: key), indexed.loadBigEndian(UInt64.self, at: 0) == sequence {
                            try transaction.delete(requests, key: key)
                        }
                    }
                    try cursor.deleteCurrent()
                    deletion.count += 1
                    deletion.lastSequence = sequence
                    entry = try cursor.move(MDB_NEXT)  // after a delete: the entry that followed it
                }
                return deletion
            }
        }
        return deletion
    }

    // MARK: Reading

    /// Scans in sequence order. After the first ``recordsBeforeReadingAhead`` records, on a
    /// machine with more than one core, the reading and CRC checks move to a helper thread
    /// (``ReadAhead``) while `body` runs on the caller's: a long replay then reads and decodes
    /// on two cores, still in order, while a short scan never starts a thread.
    public func scan(_ stream: EventStream?, after: SequenceNumber, body: (RecordView) throws -> Bool) throws {
        try scan(stream, after: after, readingAhead: true, body: body)
    }

    /// ``scan(_:after:body:)``, reading ahead on a helper thread after the first
    /// ``recordsBeforeReadingAhead`` records only when `readingAhead` is set (and there is a
    /// second core).
    public func scan(_ stream: EventStream?, after: SequenceNumber, readingAhead: Bool, body: (RecordView) throws -> Bool) throws {
        let readingAhead = readingAhead && Self.coresToReadAhead
        let streams = stream.map { [$0] } ?? EventStream.allCases
        try environment.read { transaction in
            try withCursors(streams.map(database(of:)), in: transaction) { cursors in
                var records = try MergedCursors(cursors, streams: streams, after: after)
                var pages = passedPageRelease()
                let next = { () throws -> RecordView? in
                    let view = try records.next()
                    if let view { pages.passed(view.bytes.count) }
                    return view
                }
                for _ in 0 ..< (readingAhead ? Self.recordsBeforeReadingAhead : .max) {
                    guard let view = try next(), try body(view) else { return }
                }
                try ReadAhead.run(produce: next, consume: body)
            }
        }
    }

    /// How many records a scan reads on the caller's thread before it reads ahead on another.
    public static let recordsBeforeReadingAhead = 4096
    /// Whether there is a second core to read ahead on.
    private static let coresToReadAhead = ProcessInfo.processInfo.activeProcessorCount > 1

    public func scanBackward(_ stream: EventStream, before: SequenceNumber, body: (RecordView) throws -> Bool) throws {
        try environment.read { transaction in
            try transaction.withCursor(database(of: stream)) { cursor in
                // The first key at or after `before`, then one step back; past the end: the last key.
                let atOrAfter = try withUnsafeBytes(of: before.bigEndian) { try cursor.seek(atOrAfter: $0) }
                var entry = try atOrAfter == nil ? cursor.move(MDB_LAST) : cursor.move(MDB_PREV)
                var pages = passedPageRelease()
                while let (key, value) = entry {
                    let sequence = key.loadBigEndian(UInt64.self, at: 0)
                    guard sequence < before else { return }
                    pages.passed(value.count)
                    guard try body(RecordCodec.view(of: value, sequence: sequence, stream: stream)) else { return }
                    entry = try cursor.move(MDB_PREV)
                }
            }
        }
    }

    public func lastSequence(of stream: EventStream?) throws -> SequenceNumber {
        try environment.read { transaction in
            guard let stream else { return try storedLastSequence(in: transaction) }
            return try lastKey(of: database(of: stream), in: transaction)
        }
    }

    public func firstSequence(atOrAfter timestamp: Int64) throws -> SequenceNumber? {
        try environment.read { transaction in
            try transaction.withCursor(minutes) { cursor in
                try withUnsafeBytes(of: TimeIndex.minute(of: timestamp).bigEndian) { key in
                    try cursor.seek(atOrAfter: key).map { $0.value.loadBigEndian(UInt64.self, at: 0) }
                }
            }
        }
    }

    public func sequence(forRequestID requestID: String) throws -> SequenceNumber? {
        var requestID = requestID
        return try environment.read { transaction in
            try requestID.withUTF8 { key in
                try transaction.get(requests, key: UnsafeRawBufferPointer(key)).map { $0.loadBigEndian(UInt64.self, at: 0) }
            }
        }
    }

    // MARK: Checkpoints

    public func loadCheckpoint(named name: String) throws -> Checkpoint? {
        try environment.read { transaction in
            try MetaKey.checkpoint(name).withBytes { key in
                guard let stored = try transaction.get(meta, key: key), stored.count >= 8 else { return nil }
                return Checkpoint(
                    name: name, sequence: stored.loadBigEndian(UInt64.self, at: 0),
                    state: Array(UnsafeRawBufferPointer(rebasing: stored[8...]))
                )
            }
        }
    }

    public func saveCheckpoint(_ checkpoint: Checkpoint) throws {
        var value: [UInt8] = []
        value.reserveCapacity(8 + checkpoint.state.count)
        value.appendBigEndian(checkpoint.sequence)
        value.append(contentsOf: checkpoint.state)
        _ = try environment.write { transaction in
            try MetaKey.checkpoint(checkpoint.name).withBytes { key in
                try value.withUnsafeBytes { try transaction.put(meta, key: key, value: $0) }
            }
        }
    }

    // MARK: Inspection

    public func verify() throws -> VerificationReport {
        var report = VerificationReport()
        try forEachStoredRecord { report.check($0, sequence: $1, stream: $2) }
        return report
    }

    public func releaseResidentPages() {
        environment.releaseResidentPages()
    }

    public func statistics() throws -> LogStatistics {
        var statistics = LogStatistics(lastSequence: try lastSequence(of: nil), mapSize: environment.mapSize)
        try forEachStoredRecord { statistics.count($0, sequence: $1, stream: $2) }
        let attributes = try? FileManager.default.attributesOfItem(atPath: directory + "/data.mdb")
        statistics.storageBytes = (attributes?[.size] as? NSNumber)?.intValue ?? 0
        return statistics
    }

    /// Visits every stored record, unchecked, stream by stream.
    private func forEachStoredRecord(_ body: (UnsafeRawBufferPointer, SequenceNumber, EventStream) -> Void) throws {
        try environment.read { transaction in
            var pages = passedPageRelease()
            for stream in EventStream.allCases {
                try transaction.withCursor(database(of: stream)) { cursor in
                    var entry = try cursor.move(MDB_FIRST)
                    while let (key, value) = entry {
                        pages.passed(value.count)
                        body(value, key.loadBigEndian(UInt64.self, at: 0), stream)
                        entry = try cursor.move(MDB_NEXT)
                    }
                }
            }
        }
    }

    // MARK: Helpers

    /// Releases for one read transaction's scan (see ``PassedPageRelease``).
    private func passedPageRelease() -> PassedPageRelease {
        PassedPageRelease(environment: environment, interval: pageReleaseInterval)
    }

    private func database(of stream: EventStream) -> MDB_dbi {
        switch stream {
        case .control: control
        case .traffic: traffic
        }
    }

    private func lastKey(of database: MDB_dbi, in transaction: LMDBTransaction) throws -> SequenceNumber {
        try transaction.withCursor(database) { cursor in
            try cursor.move(MDB_LAST).map { $0.key.loadBigEndian(UInt64.self, at: 0) } ?? 0
        }
    }

    private func storedLastSequence(in transaction: LMDBTransaction) throws -> SequenceNumber {
        try MetaKey.lastSequence.withBytes { key in
            try transaction.get(meta, key: key).map { $0.loadBigEndian(UInt64.self, at: 0) } ?? 0
        }
    }

    private func withCursors<T>(_ databases: [MDB_dbi], in transaction: LMDBTransaction, _ body: ([LMDBCursor]) throws -> T) throws -> T {
        var cursors: [LMDBCursor] = []
        func open(_ index: Int) throws -> T {
            guard index < databases.count else { return try body(cursors) }
            return try transaction.withCursor(databases[index]) { cursor in
                cursors.append(cursor)
                return try open(index + 1)
            }
        }
        return try open(0)
    }
}

/// Keys of the `meta` database.
enum MetaKey {
    case format
    case lastSequence
    case checkpoint(String)

    func withBytes<T>(_ body: (UnsafeRawBufferPointer) throws -> T) rethrows -> T {
        var text: String
        switch self {
        case .format: text = "format"
        case .lastSequence: text = "last-sequence"
        case .checkpoint(let name): text = "checkpoint/" + name
        }
        return try text.withUTF8 { try body(UnsafeRawBufferPointer($0)) }
    }
}
