/// The on-disk record envelope:
///
/// `format (u8) · kind (u16) · schema (u8) · time µs (i64) · correlation id (u16 length + UTF-8)
/// · actor (u16 length + UTF-8) · payload (u32 length + bytes) · CRC32 (u32, over all before it)`
///
/// All integers are big-endian.
public enum RecordCodec {
    /// The current envelope format.
    public static let formatVersion: UInt8 = 1
    /// Bytes of a record around its variable fields.
    public static let fixedOverhead = 1 + 2 + 1 + 8 + 2 + 2 + 4 + 4

    /// Encodes `envelope` into a record with a trailing CRC.
    public static func encode(_ envelope: EventEnvelope) throws -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(fixedOverhead + envelope.correlationID.utf8.count + envelope.actor.utf8.count + envelope.payload.count)
        try encode(envelope, into: &bytes)
        return bytes
    }

    /// Encodes `envelope` into `bytes` (replacing its contents, keeping its capacity).
    public static func encode(_ envelope: EventEnvelope, into bytes: inout [UInt8]) throws {
        try encode(
            kind: envelope.kind, schemaVersion: envelope.schemaVersion, timestamp: envelope.timestamp,
            correlationID: envelope.correlationID, actor: envelope.actor, into: &bytes
        ) { $0.append(contentsOf: envelope.payload) }
    }

    /// Encodes a record whose payload `writePayload` appends straight into `bytes`, so a payload
    /// never needs a buffer of its own (replaces `bytes`' contents, keeping its capacity).
    public static func encode(
        kind: UInt16, schemaVersion: UInt8, timestamp: Int64, correlationID: String, actor: String,
        into bytes: inout [UInt8], writePayload: (inout [UInt8]) throws -> Void
    ) throws {
        let correlation = correlationID.utf8
        let actorBytes = actor.utf8
        guard correlation.count <= Int(UInt16.max) else { throw EventLogError.recordTooLarge("correlation id") }
        guard actorBytes.count <= Int(UInt16.max) else { throw EventLogError.recordTooLarge("actor") }
        bytes.removeAll(keepingCapacity: true)
        bytes.append(formatVersion)
        bytes.appendBigEndian(kind)
        bytes.append(schemaVersion)
        bytes.appendBigEndian(UInt64(bitPattern: timestamp))
        bytes.appendBigEndian(UInt16(correlation.count))
        bytes.append(contentsOf: correlation)
        bytes.appendBigEndian(UInt16(actorBytes.count))
        bytes.append(contentsOf: actorBytes)
        let lengthOffset = bytes.count
        bytes.appendBigEndian(UInt32(0))
        try writePayload(&bytes)
        let payloadLength = bytes.count - lengthOffset - 4
        guard payloadLength <= Int(UInt32.max) else { throw EventLogError.recordTooLarge("payload") }
        withUnsafeBytes(of: UInt32(payloadLength).bigEndian) { length in
            for index in 0 ..< 4 { bytes[lengthOffset + index] = length[index] }
        }
        let crc = CRC32.checksum(bytes)
        bytes.appendBigEndian(crc)
    }

    /// Checks the CRC and the envelope's structure and returns a view of the record.
    ///
    /// - Throws: ``EventLogError/corruptRecord(sequence:reason:)``.
    public static func view(
        of bytes: UnsafeRawBufferPointer, sequence: SequenceNumber, stream: EventStream
    ) throws -> RecordView {
        func corrupt(_ reason: String) -> EventLogError { .corruptRecord(sequence: sequence, reason: reason) }
        guard bytes.count >= fixedOverhead else { throw corrupt("record shorter than its envelope") }
        let body = UnsafeRawBufferPointer(rebasing: bytes[0 ..< bytes.count - 4])
        let stored = bytes.loadBigEndian(UInt32.self, at: bytes.count - 4)
        guard CRC32.checksum(body) == stored else { throw corrupt("CRC mismatch") }
        guard bytes[0] == formatVersion else { throw corrupt("unknown format version \(bytes[0])") }
        var offset = 12
        let correlationLength = Int(bytes.loadBigEndian(UInt16.self, at: offset))
        offset += 2
        let correlation = offset ..< offset + correlationLength
        offset += correlationLength
        guard offset + 2 <= body.count else { throw corrupt("truncated actor") }
        let actorLength = Int(bytes.loadBigEndian(UInt16.self, at: offset))
        offset += 2
        let actor = offset ..< offset + actorLength
        offset += actorLength
        guard offset + 4 <= body.count else { throw corrupt("truncated payload length") }
        let payloadLength = Int(bytes.loadBigEndian(UInt32.self, at: offset))
        offset += 4
        guard offset + payloadLength == body.count else { throw corrupt("payload length disagrees with record size") }
        return RecordView(
            sequence: sequence, stream: stream, bytes: bytes,
            correlationRange: correlation, actorRange: actor, payloadRange: offset ..< offset + payloadLength
        )
    }
}

extension [UInt8] {
    /// Appends `value` in big-endian byte order.
    @inlinable
    public mutating func appendBigEndian<T: FixedWidthInteger>(_ value: T) {
        Swift.withUnsafeBytes(of: value.bigEndian) { append(contentsOf: $0) }
    }
}

extension UnsafeRawBufferPointer {
    /// Loads a big-endian integer at `offset` (no alignment needed).
    @inlinable
    public func loadBigEndian<T: FixedWidthInteger>(_ type: T.Type, at offset: Int) -> T {
        T(bigEndian: loadUnaligned(fromByteOffset: offset, as: T.self))
    }
}
