import Foundation

/// Writes compact binary fields — LEB128 varints, length-prefixed UTF-8, raw UUIDs — into room
/// given up front: each field is one bounds check and plain stores, with none of an array's
/// per-append bookkeeping (an outcome record has a hundred fields). A field that does not fit is
/// not written and the writer reports it (``written`` is `nil`), so that the caller can start
/// again with more room.
struct BinaryWriter: ~Copyable {
    private let room: UnsafeMutableRawBufferPointer
    private var count = 0
    private var overflowed = false

    init(room: UnsafeMutableRawBufferPointer) {
        self.room = room
    }

    /// The bytes written, or `nil` when something did not fit.
    var written: Int? { overflowed ? nil : count }

    /// What `write` writes, in one new array of `capacity` bytes of room — written again with
    /// twice the room until it fits.
    static func bytes(capacity: Int, _ write: (inout BinaryWriter) -> Void) -> [UInt8] {
        var capacity = max(capacity, 16)
        while true {
            var fitted = false
            let bytes = [UInt8](unsafeUninitializedCapacity: capacity) { buffer, initialized in
                var writer = BinaryWriter(room: UnsafeMutableRawBufferPointer(buffer))
                write(&writer)
                fitted = writer.written != nil
                initialized = writer.written ?? 0
            }
            if fitted { return bytes }
            capacity *= 2
        }
    }

    mutating func byte(_ value: UInt8) {
        guard let start = claim(1) else { return }
        room[start] = value
    }

    mutating func varint(_ value: UInt64) {
        let length = max(1, (64 - value.leadingZeroBitCount + 6) / 7)
        guard var position = claim(length) else { return }
        var remaining = value
        while remaining >= 0x80 {
            room[position] = UInt8(truncatingIfNeeded: remaining) | 0x80
            remaining >>= 7
            position += 1
        }
        room[position] = UInt8(remaining)
    }

    /// Signed values, zig-zag encoded so small negatives stay short.
    mutating func signed(_ value: Int64) {
        varint(UInt64(bitPattern: (value << 1) ^ (value >> 63)))
    }

    mutating func string(_ value: String) {
        var value = value
        value.withUTF8 { utf8 in
            varint(UInt64(utf8.count))
            raw(UnsafeRawBufferPointer(utf8))
        }
    }

    mutating func uuid(_ value: UUID) {
        withUnsafeBytes(of: value.uuid) { raw($0) }
    }

    /// Bytes as they are.
    mutating func raw(_ bytes: UnsafeRawBufferPointer) {
        guard let start = claim(bytes.count), !bytes.isEmpty else { return }
        UnsafeMutableRawBufferPointer(rebasing: room[start ..< start + bytes.count]).copyMemory(from: bytes)
    }

    /// The position of `length` more bytes, or `nil` (noted) when they do not fit.
    private mutating func claim(_ length: Int) -> Int? {
        guard !overflowed, length <= room.count - count else {
            overflowed = true
            return nil
        }
        defer { count += length }
        return count
    }
}
