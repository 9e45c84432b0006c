import Foundation

/// Reads what ``BinaryWriter`` wrote; every read is bounds-checked.
struct BinaryReader {
    let buffer: UnsafeRawBufferPointer
    var offset = 0

    struct Truncated: Error {}

    init(_ buffer: UnsafeRawBufferPointer) { self.buffer = buffer }

    var isAtEnd: Bool { offset == buffer.count }

    @inline(__always)
    mutating func byte() throws -> UInt8 {
        guard offset < buffer.count else { throw Truncated() }
        defer { offset += 1 }
        return buffer[offset]
    }

    @inline(__always)
    mutating func varint() throws -> UInt64 {
        if offset < buffer.count, buffer[offset] < 0x80 {
            defer { offset += 1 }
            return UInt64(buffer[offset])
        }
        return try multiByteVarint()
    }

    /// A varint of two bytes or more (kept out of line: most are one byte).
    @inline(never)
    private mutating func multiByteVarint() throws -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            let next = try byte()
            guard shift < 64 else { throw Truncated() }
            result |= UInt64(next & 0x7F) << shift
            if next < 0x80 { return result }
            shift += 7
        }
    }

    @inline(__always)
    mutating func signed() throws -> Int64 {
        let raw = try varint()
        return Int64(bitPattern: (raw >> 1) ^ (0 &- (raw & 1)))
    }

    @inline(__always)
    mutating func int() throws -> Int {
        let value = try varint()
        guard value <= UInt64(Int.max) else { throw Truncated() }
        return Int(value)
    }

    @inline(__always)
    mutating func raw(_ count: Int) throws -> UnsafeRawBufferPointer {
        guard count >= 0, count <= buffer.count - offset else { throw Truncated() }
        defer { offset += count }
        return UnsafeRawBufferPointer(rebasing: buffer[offset ..< offset + count])
    }

    /// Skips a length-prefixed string, returning where its bytes are.
    @inline(__always)
    mutating func stringRange() throws -> Range<Int> {
        let count = try int()
        let start = offset
        _ = try raw(count)
        return start ..< start + count
    }

    /// Skips `count` bytes, returning where they are.
    mutating func skip(_ count: Int) throws -> Range<Int> {
        let start = offset
        _ = try raw(count)
        return start ..< start + count
    }

    mutating func string() throws -> String {
        String(decoding: try raw(try int()), as: UTF8.self)
    }

    @inline(__always)
    mutating func uuid() throws -> UUID {
        guard buffer.count - offset >= 16 else { throw Truncated() }
        defer { offset += 16 }
        return UUID(uuid: buffer.loadUnaligned(fromByteOffset: offset, as: uuid_t.self))
    }
}
