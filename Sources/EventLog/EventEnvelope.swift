/// One event as stored: what happened (`kind`, `schemaVersion`, `payload`), when, and on whose
/// behalf. The payload codec belongs to the layer above: JSON for control events, a compact
/// binary codec for traffic events.
public struct EventEnvelope: Sendable, Hashable {
    /// Stable numeric id of the event type; never reused.
    public var kind: UInt16
    /// Version of the payload's shape; decoders upcast older versions.
    public var schemaVersion: UInt8
    /// Microseconds since the Unix epoch.
    public var timestamp: Int64
    /// The request id or command id this event belongs to.
    public var correlationID: String
    /// Who caused the change (control events); empty for traffic.
    public var actor: String
    /// The encoded event body.
    public var payload: [UInt8]

    public init(kind: UInt16, schemaVersion: UInt8, timestamp: Int64, correlationID: String, actor: String = "", payload: [UInt8]) {
        self.kind = kind
        self.schemaVersion = schemaVersion
        self.timestamp = timestamp
        self.correlationID = correlationID
        self.actor = actor
        self.payload = payload
    }
}

/// A traffic event ready to append: its encoded, CRC-protected record (encoded by the caller,
/// off the storage writer) and its time for the time index. It is indexed under its request id,
/// the record's correlation id, read from the record itself: an append holds no string of its
/// own, so a request's id is freed by the event loop that made it, not by the storage writer
/// (memory freed on another thread than the one that took it defeats malloc's per-thread cache).
public struct TrafficAppend: Sendable {
    /// The complete record as ``RecordCodec`` writes it.
    public let record: [UInt8]
    /// Microseconds since the epoch (the envelope's time).
    public let timestamp: Int64

    /// Encodes `envelope`, indexed under its correlation id.
    public init(envelope: EventEnvelope) throws {
        self.init(encodedRecord: try RecordCodec.encode(envelope), timestamp: envelope.timestamp)
    }

    /// Wraps a record already encoded by ``RecordCodec``.
    public init(encodedRecord: [UInt8], timestamp: Int64) {
        self.record = encodedRecord
        self.timestamp = timestamp
    }

    /// Calls `body` with the UTF-8 bytes of the id the event is indexed under in the `requests`
    /// index (so one request can be found by id; pruning finds a record's entry through it).
    public func withRequestID<Result>(_ body: (UnsafeRawBufferPointer) throws -> Result) rethrows -> Result {
        try record.withUnsafeBytes { bytes in try body(UnsafeRawBufferPointer(rebasing: bytes[RecordCodec.correlationRange(in: bytes)])) }
    }

    /// The id the event is indexed under, as a string.
    public var requestID: String {
        withRequestID { String(decoding: $0, as: UTF8.self) }
    }
}

/// An event read back from the log, with its position.
public struct RecordedEvent: Sendable, Hashable {
    /// Its global position.
    public var sequence: SequenceNumber
    /// The stream it was appended to.
    public var stream: EventStream
    /// The event.
    public var envelope: EventEnvelope

    public init(sequence: SequenceNumber, stream: EventStream, envelope: EventEnvelope) {
        self.sequence = sequence
        self.stream = stream
        self.envelope = envelope
    }
}
