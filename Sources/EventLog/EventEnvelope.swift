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

/// One traffic event ready to append: its encoded, CRC-protected record and its time for the
/// time index. The log indexes it under its request id, the record's correlation id. Appends
/// reach the log as one ``TrafficBatch``.
public struct TrafficAppend: Sendable {
    /// The complete record as ``RecordCodec`` writes it.
    public let record: [UInt8]
    /// Microseconds since the epoch (the envelope's time).
    public let timestamp: Int64

    /// Encodes `envelope`.
    public init(envelope: EventEnvelope) throws {
        self.init(encodedRecord: try RecordCodec.encode(envelope), timestamp: envelope.timestamp)
    }

    /// Wraps a record already encoded by ``RecordCodec``.
    public init(encodedRecord: [UInt8], timestamp: Int64) {
        self.record = encodedRecord
        self.timestamp = timestamp
    }
}

extension EventLog {
    /// Appends `events` as one batch.
    public func appendTraffic(_ events: [TrafficAppend]) throws -> ClosedRange<SequenceNumber>? {
        try appendTraffic(TrafficBatch(events))
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
