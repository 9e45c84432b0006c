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
        try encode(
            kind: envelope.kind, schemaVersion: envelope.schemaVersion, timestamp: envelope.timestamp,
            correlationID: envelope.correlationID, actor: envelope.actor, payloadCapacity: envelope.payload.count
        ) { room in
            envelope.payload.withUnsafeBytes { room.copyMemory(from: $0) }
            return envelope.payload.count
        }
    }

    /// Encodes a record in one new array, its payload written by `writePayload` straight into
    /// the room after the header, so a payload never needs a buffer of its own.
    /// `writePayload` is handed `payloadCapacity` bytes and returns the payload's length, or
    /// `nil` when it needs more room (it is then called again with twice as much).
    public static func encode(
        kind: UInt16, schemaVersion: UInt8, timestamp: Int64, correlationID: String, actor: String, payloadCapacity: Int,
        writePayload: (UnsafeMutableRawBufferPointer) throws -> Int?
    ) throws -> [UInt8] {
        var record = NewArray()
        try encode(
            kind: kind, schemaVersion: schemaVersion, timestamp: timestamp, correlationID: correlationID, actor: actor,
            payloadCapacity: payloadCapacity, writePayload: writePayload, into: &record
        )
        return record.bytes
    }

    /// The same, the record written into the room `destination` places it in (how
    /// ``TrafficBatch`` keeps records in a buffer of its own).
    static func encode(
        kind: UInt16, schemaVersion: UInt8, timestamp: Int64, correlationID: String, actor: String, payloadCapacity: Int,
        writePayload: (UnsafeMutableRawBufferPointer) throws -> Int?, into destination: inout some RecordDestination
    ) throws {
        var correlationID = correlationID, actor = actor
        try correlationID.withUTF8 { correlation in
            try actor.withUTF8 { actor in
                guard correlation.count <= Int(UInt16.max) else { throw EventLogError.recordTooLarge("correlation id") }
                guard actor.count <= Int(UInt16.max) else { throw EventLogError.recordTooLarge("actor") }
                let headerLength = fixedOverhead - 4 + correlation.count + actor.count
                var payloadCapacity = max(payloadCapacity, 0)
                while true {
                    let placed = try destination.place(size: headerLength + payloadCapacity + 4) { room in
                        var record = RecordBuilder(room: room)
                        record.put(formatVersion)
                        record.put(kind)
                        record.put(schemaVersion)
                        record.put(UInt64(bitPattern: timestamp))
                        record.put(UInt16(correlation.count))
                        record.put(UnsafeRawBufferPointer(correlation))
                        record.put(UInt16(actor.count))
                        record.put(UnsafeRawBufferPointer(actor))
                        let room = UnsafeMutableRawBufferPointer(rebasing: record.room[(record.count + 4)...].prefix(payloadCapacity))
                        guard let payloadLength = try writePayload(room) else { return nil }
                        guard payloadLength <= Int(UInt32.max) else { throw EventLogError.recordTooLarge("payload") }
                        record.put(UInt32(payloadLength))
                        record.count += payloadLength
                        record.put(CRC32.checksum(UnsafeRawBufferPointer(rebasing: record.room[..<record.count])))
                        return record.count
                    }
                    if placed { return }
                    payloadCapacity = max(2 * payloadCapacity, 64)
                }
            }
        }
    }

    /// A record in an array of its own.
    private struct NewArray: RecordDestination {
        var bytes: [UInt8] = []

        mutating func place(size: Int, _ write: (UnsafeMutableRawBufferPointer) throws -> Int?) throws -> Bool {
            var complete = false
            bytes = try [UInt8](unsafeUninitializedCapacity: size) { buffer, initialized in
                guard let length = try write(UnsafeMutableRawBufferPointer(buffer)) else { return }
                initialized = length
                complete = true
            }
            return complete
        }
    }

    /// Where the correlation id of a record made by ``encode(kind:schemaVersion:timestamp:correlationID:actor:payloadCapacity:writePayload:)``
    /// lies in its bytes (empty for bytes too short to be a record).
    public static func correlationRange(in record: UnsafeRawBufferPointer) -> Range<Int> {
        let start = 1 + 2 + 1 + 8 + 2  // after the format, kind, schema, time and the id's length
        guard record.count >= fixedOverhead else { return 0 ..< 0 }
        return start ..< min(start + Int(record.loadBigEndian(UInt16.self, at: start - 2)), record.count)
    }

    /// Stores a record's big-endian integers and bytes one after the other, in room known to
    /// hold them.
    private struct RecordBuilder {
        let room: UnsafeMutableRawBufferPointer
        var count = 0

        mutating func put<T: FixedWidthInteger>(_ value: T) {
            room.storeBytes(of: value.bigEndian, toByteOffset: count, as: T.self)
            count += MemoryLayout<T>.size
        }

        mutating func put(_ bytes: UnsafeRawBufferPointer) {
            guard !bytes.isEmpty else { return }
            UnsafeMutableRawBufferPointer(rebasing: room[count ..< count + bytes.count]).copyMemory(from: bytes)
            count += bytes.count
        }
    }

    /// The UTF-8 bytes of a record's correlation id (what a traffic record is indexed under).
    public static func correlationID(in record: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(rebasing: record[correlationRange(in: record)])
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
        let correlation = correlationRange(in: bytes)
        var offset = correlation.upperBound
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

/// Where ``RecordCodec`` writes a record: `place(size:_:)` calls `write` with room of `size`
/// bytes, which returns the record's length — kept then — or `nil` when the payload needs more
/// room (the codec then asks again with a larger size); it returns whether a record was kept.
protocol RecordDestination {
    mutating func place(size: Int, _ write: (UnsafeMutableRawBufferPointer) throws -> Int?) throws -> Bool
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
