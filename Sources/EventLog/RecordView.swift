/// A CRC-checked record read in place from storage. Valid only inside the `scan` call that
/// handed it out; copy what you keep (``recordedEvent()`` copies everything).
public struct RecordView {
    /// Its global position.
    public let sequence: SequenceNumber
    /// The stream it belongs to.
    public let stream: EventStream
    /// The whole record, envelope and CRC included.
    public let bytes: UnsafeRawBufferPointer
    let correlationRange: Range<Int>
    let actorRange: Range<Int>
    let payloadRange: Range<Int>

    /// Stable id of the event type.
    public var kind: UInt16 { bytes.loadBigEndian(UInt16.self, at: 1) }
    /// Version of the payload's shape.
    public var schemaVersion: UInt8 { bytes[3] }
    /// Microseconds since the Unix epoch.
    public var timestamp: Int64 { Int64(bitPattern: bytes.loadBigEndian(UInt64.self, at: 4)) }
    /// The encoded payload, in place.
    public var payload: UnsafeRawBufferPointer { UnsafeRawBufferPointer(rebasing: bytes[payloadRange]) }
    /// The request or command id.
    public var correlationID: String { String(decoding: bytes[correlationRange], as: UTF8.self) }
    /// Who caused it.
    public var actor: String { String(decoding: bytes[actorRange], as: UTF8.self) }

    /// Copies the record into an owned value.
    public func recordedEvent() -> RecordedEvent {
        RecordedEvent(
            sequence: sequence, stream: stream,
            envelope: EventEnvelope(
                kind: kind, schemaVersion: schemaVersion, timestamp: timestamp,
                correlationID: correlationID, actor: actor, payload: Array(payload)
            )
        )
    }
}
