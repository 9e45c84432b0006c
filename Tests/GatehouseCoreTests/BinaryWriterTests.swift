import Foundation
import Testing
@testable import GatehouseCore

@Suite("Binary writer")
struct BinaryWriterTests {
    static let numbers: [UInt64] = [0, 1, 0x7F, 0x80, 0x3FFF, 0x4000, UInt64(UInt32.max), 1 << 56, UInt64.max]
    static let signedNumbers: [Int64] = [0, -1, 1, -64, 64, .min, .max]
    static let id = UUID()

    /// Every kind of field, in a known order.
    static func writeSample(_ writer: inout BinaryWriter) {
        for number in numbers { writer.varint(number) }
        for number in signedNumbers { writer.signed(number) }
        writer.string("")
        writer.string("wedding-ü-\(String(repeating: "x", count: 300))")
        writer.uuid(id)
        writer.byte(0xAB)
        [UInt8]([10, 0, 0, 1]).withUnsafeBytes { writer.raw($0) }
    }

    @Test("every field reads back; too little room starts again with more, never a cut-off write", arguments: [0, 1, 7, 64, 4096])
    func roundTrip(capacity: Int) throws {
        let bytes = BinaryWriter.bytes(capacity: capacity) { Self.writeSample(&$0) }
        #expect(bytes == BinaryWriter.bytes(capacity: 4096) { Self.writeSample(&$0) })
        try bytes.withUnsafeBytes { (raw: UnsafeRawBufferPointer) throws in
            var reader = BinaryReader(raw)
            for number in Self.numbers { #expect(try reader.varint() == number) }
            for number in Self.signedNumbers { #expect(try reader.signed() == number) }
            #expect(try reader.string() == "")
            #expect(try reader.string() == "wedding-ü-\(String(repeating: "x", count: 300))")
            #expect(try reader.uuid() == Self.id)
            #expect(try reader.byte() == 0xAB)
            #expect(Array(try reader.raw(4)) == [10, 0, 0, 1])
            #expect(reader.offset == raw.count)
        }
    }

    @Test("a varint takes the fewest bytes: seven bits each")
    func varintLengths() {
        for (value, length) in [(UInt64(0), 1), (0x7F, 1), (0x80, 2), (0x3FFF, 2), (0x4000, 3), (UInt64.max, 10)] {
            #expect(BinaryWriter.bytes(capacity: 1) { $0.varint(value) }.count == length)
        }
    }

    @Test("a writer whose room runs out reports it and writes nothing past it")
    func overflow() {
        var room = [UInt8](repeating: 0xEE, count: 6)
        let written = room.withUnsafeMutableBytes { raw in
            var writer = BinaryWriter(room: UnsafeMutableRawBufferPointer(rebasing: raw[..<4]))
            writer.byte(1)
            writer.string("abcdef")
            writer.byte(2)
            return writer.written
        }
        #expect(written == nil)
        // The string's length fitted, its bytes did not; the byte after it is not written either.
        #expect(room == [1, 6, 0xEE, 0xEE, 0xEE, 0xEE])
    }
}
