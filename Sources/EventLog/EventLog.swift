/// # EventLog
///
/// The storage-neutral event log at the bottom of Gatehouse. Every config change and every
/// request outcome is an ``EventEnvelope`` appended under one global, gap-free-per-writer
/// ``SequenceNumber``. Two streams share that sequence: ``EventStream/control`` (kept forever,
/// fsync-durable per append) and ``EventStream/traffic`` (group-committed in batches).
///
/// ```swift
/// let log: any EventLog = InMemoryEventLog()
/// let recorded = try log.appendControl([envelope], expectingLastControl: nil)
/// try log.scan(.control, after: 0) { record in print(record.sequence); return true }
/// ```
///
/// Implementations: ``InMemoryEventLog`` here, `LMDBEventLog` in `EventLogLMDB`.
public protocol EventLog: AnyObject, Sendable {
    /// Appends control events in one durable transaction (fsync before returning).
    ///
    /// - Parameter expectingLastControl: optimistic concurrency; when not `nil`, the append
    ///   fails with ``EventLogError/concurrencyConflict(expected:actual:)`` unless the last
    ///   control sequence in the log equals it. Pass `nil` to append unconditionally.
    /// - Returns: the recorded events with their assigned sequence numbers.
    func appendControl(_ events: [EventEnvelope], expectingLastControl: SequenceNumber?) throws -> [RecordedEvent]

    /// Appends a batch of traffic events in one transaction (one commit, one fsync per batch),
    /// each indexed under its record's correlation id (its request id).
    /// - Returns: the sequence numbers assigned, or `nil` for an empty batch.
    func appendTraffic(_ batch: TrafficBatch) throws -> ClosedRange<SequenceNumber>?

    /// Deletes the oldest traffic records — in sequence order, while a record's sequence is at
    /// most `through` and its timestamp before `before` (µs) — at most `limit` in one write,
    /// with the request-id index entries pointing at them. Control records, checkpoints and the
    /// time index (a minute whose records are gone resolves to the next record kept) are never
    /// touched. Callers make sure every projection that needs the records has rolled them up.
    func deleteTraffic(through: SequenceNumber, before: Int64, limit: Int) throws -> TrafficDeletion

    /// Visits records of `stream` (or of both, merged in sequence order, when `nil`) with
    /// sequence greater than `after`, in order, until `body` returns `false`.
    ///
    /// Each record's CRC is checked before it is handed out; a corrupt record throws
    /// ``EventLogError/corruptRecord(sequence:reason:)`` and is never visited.
    /// The ``RecordView`` is only valid during the call. `body` always runs on the calling
    /// thread; an implementation may read and check records ahead on another (LMDB does for
    /// long scans), so `body` must not assume the log is idle while it runs.
    func scan(_ stream: EventStream?, after: SequenceNumber, body: (RecordView) throws -> Bool) throws

    /// Lets the operating system take back memory that only mirrors stored records this process
    /// has read (a memory-mapped log's pages). Nothing stored changes and every record stays
    /// readable; call it now and then on a long-running process that reads what it writes.
    func releaseResidentPages()

    /// ``scan(_:after:body:)``, reading ahead on another thread only if the implementation
    /// does and `readingAhead` is set: a caller that already keeps every core busy (a rebuild
    /// folding stretches of the log in parallel) passes `false` — a helper thread per scan
    /// would only compete with it for the cores.
    func scan(_ stream: EventStream?, after: SequenceNumber, readingAhead: Bool, body: (RecordView) throws -> Bool) throws

    /// Visits records of `stream` with sequence lower than `before`, newest first, until `body`
    /// returns `false` — for "the latest N" reads such as the request log. CRCs are checked as in
    /// ``scan(_:after:body:)``.
    func scanBackward(_ stream: EventStream, before: SequenceNumber, body: (RecordView) throws -> Bool) throws

    /// The highest sequence number in `stream` (both streams when `nil`), or 0 when empty.
    func lastSequence(of stream: EventStream?) throws -> SequenceNumber

    /// The first sequence number recorded in or after the minute holding `timestamp` (µs since
    /// the epoch), from the time index; `nil` when nothing was recorded since then.
    func firstSequence(atOrAfter timestamp: Int64) throws -> SequenceNumber?

    /// The sequence number of the traffic event recorded for `requestID`, if any.
    func sequence(forRequestID requestID: String) throws -> SequenceNumber?

    /// Loads the checkpoint stored under `name`.
    func loadCheckpoint(named name: String) throws -> Checkpoint?

    /// Stores a checkpoint: its state and position are written in one transaction.
    func saveCheckpoint(_ checkpoint: Checkpoint) throws

    /// Reads every record and checks its CRC and envelope; never throws for corrupt records,
    /// it reports them.
    func verify() throws -> VerificationReport

    /// Counts and sizes per stream and kind, and storage figures.
    func statistics() throws -> LogStatistics

    /// Signals appends made through this instance, so tails wake without polling delay.
    var appendSignal: AppendSignal { get }
}

extension EventLog {
    /// For logs that keep nothing mapped: nothing to release.
    public func releaseResidentPages() {}

    /// For logs that never read ahead: the plain scan.
    public func scan(_ stream: EventStream?, after: SequenceNumber, readingAhead: Bool, body: (RecordView) throws -> Bool) throws {
        try scan(stream, after: after, body: body)
    }

    /// Reads up to `limit` records after `after`, decoded into owned values.
    public func read(_ stream: EventStream?, after: SequenceNumber, limit: Int = .max) throws -> [RecordedEvent] {
        var result: [RecordedEvent] = []
        guard limit > 0 else { return result }
        try scan(stream, after: after) { view in
            result.append(view.recordedEvent())
            return result.count < limit
        }
        return result
    }

    /// Reads the records whose timestamps fall in `range` (µs since the epoch), using the time
    /// index to find where to start.
    public func read(_ stream: EventStream?, timestamps range: ClosedRange<Int64>) throws -> [RecordedEvent] {
        guard let first = try firstSequence(atOrAfter: range.lowerBound) else { return [] }
        var result: [RecordedEvent] = []
        try scan(stream, after: first - 1) { view in
            let timestamp = view.timestamp
            if range.contains(timestamp) { result.append(view.recordedEvent()) }
            // Times may step back slightly across writers; stop a minute past the range.
            return timestamp <= range.upperBound + TimeIndex.microsecondsPerMinute
        }
        return result
    }
}
