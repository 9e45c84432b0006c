import CZlib
import EventLog
import Testing

@Suite("Record codec")
struct RecordCodecTests {
    let envelope = EventEnvelope(
        kind: 258, schemaVersion: 3, timestamp: -5, correlationID: "req-ü", actor: "admin", payload: [0, 1, 2, 255]
    )

    @Test("round-trips every field")
    func roundTrip() throws {
        let bytes = try RecordCodec.encode(envelope)
        #expect(bytes.count == RecordCodec.fixedOverhead + "req-ü".utf8.count + 5 + 4)
        let decoded = try bytes.withUnsafeBytes { try RecordCodec.view(of: $0, sequence: 9, stream: .control).recordedEvent() }
        #expect(decoded == RecordedEvent(sequence: 9, stream: .control, envelope: envelope))
    }

    @Test("a record's correlation id (what a traffic record is indexed under) is found in its bytes; bytes too short for a record have none")
    func correlationIDFromRecord() throws {
        let record = try RecordCodec.encode(envelope)
        #expect(record.withUnsafeBytes { Array($0[RecordCodec.correlationRange(in: $0)]) } == Array("req-ü".utf8))
        #expect(Array(repeating: UInt8(0), count: 5).withUnsafeBytes { RecordCodec.correlationRange(in: $0) }.isEmpty)
    }

    @Test("a payload written into the record's room: the same record whether the room first given fits or not")
    func payloadRoom() throws {
        let expected = try RecordCodec.encode(envelope)
        for capacity in [0, 3, 4, 100] {
            var calls = 0
            let record = try RecordCodec.encode(
                kind: envelope.kind, schemaVersion: envelope.schemaVersion, timestamp: envelope.timestamp,
                correlationID: envelope.correlationID, actor: envelope.actor, payloadCapacity: capacity
            ) { room in
                calls += 1
                guard room.count >= envelope.payload.count else { return nil }
                envelope.payload.withUnsafeBytes { room.copyMemory(from: $0) }
                return envelope.payload.count
            }
            #expect(record == expected)
            #expect(calls == (capacity >= 4 ? 1 : 2))
        }
        #expect(throws: EventLogError.self) {
            _ = try RecordCodec.encode(
                kind: 1, schemaVersion: 1, timestamp: 0, correlationID: String(repeating: "r", count: 70_000), actor: "", payloadCapacity: 0
            ) { _ in 0 }
        }
    }

    @Test("any single flipped bit is caught, with the sequence")
    func flippedBits() throws {
        let bytes = try RecordCodec.encode(envelope)
        for index in bytes.indices {
            for bit in 0 ..< 8 {
                var damaged = bytes
                damaged[index] ^= 1 << bit
                #expect(throws: EventLogError.self) {
                    try damaged.withUnsafeBytes { _ = try RecordCodec.view(of: $0, sequence: 77, stream: .traffic) }
                }
                do {
                    try damaged.withUnsafeBytes { _ = try RecordCodec.view(of: $0, sequence: 77, stream: .traffic) }
                } catch let EventLogError.corruptRecord(sequence, _) {
                    #expect(sequence == 77)
                }
            }
        }
    }

    @Test("truncated records are corrupt, not a crash")
    func truncated() throws {
        let bytes = try RecordCodec.encode(envelope)
        for length in 0 ..< bytes.count {
            let prefix = Array(bytes[..<length])
            #expect(throws: EventLogError.self) {
                try prefix.withUnsafeBytes { _ = try RecordCodec.view(of: $0, sequence: 1, stream: .control) }
            }
        }
    }

    @Test("CRC32 matches the standard check value")
    func checkValue() {
        #expect(CRC32.checksum(Array("123456789".utf8)) == 0xCBF4_3926)
    }

    @Test("CRC32 equals zlib's crc32 for every length and alignment up to 600 bytes")
    func matchesZlib() {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0 ..< 700).map { _ in UInt8.random(in: 0 ... 255, using: &generator) }
        bytes.withUnsafeBytes { buffer in
            for offset in 0 ..< 8 {
                for length in 0 ... 600 {
                    let slice = UnsafeRawBufferPointer(rebasing: buffer[offset ..< offset + length])
                    let zlib = slice.baseAddress.map {
                        UInt32(truncatingIfNeeded: crc32(0, $0.assumingMemoryBound(to: Bytef.self), uInt(length)))
                    } ?? 0
                    #expect(CRC32.checksum(slice) == zlib, "length \(length) offset \(offset)")
                }
            }
        }
    }
}
