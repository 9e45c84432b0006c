import NIOCore

/// Where an HTTP/1 message ends, found the cheapest way that is still right for what the
/// reference proxy carries (heads ending in CRLF CRLF, bodies framed by `Content-Length`).
enum MessageEnd {
    /// The length of the head at the start of `buffer` (through its empty line), once it has arrived.
    static func headLength(_ buffer: ByteBuffer) -> Int? {
        buffer.withUnsafeReadableBytes { bytes -> Int? in
            var index = 3
            while index < bytes.count {
                if bytes[index] == 10, bytes[index - 1] == 13, bytes[index - 2] == 10, bytes[index - 3] == 13 { return index + 1 }
                index += 1
            }
            return nil
        }
    }

    /// The value of the head's `Content-Length` field (any case), 0 without one.
    static func contentLength(_ buffer: ByteBuffer, headLength: Int) -> Int {
        let name = Array("\ncontent-length:".utf8)
        return buffer.withUnsafeReadableBytes { bytes -> Int in
            var start = 0
            search: while start + name.count < headLength {
                for offset in 0 ..< name.count where lowercased(bytes[start + offset]) != name[offset] {
                    start += 1
                    continue search
                }
                var index = start + name.count, value = 0
                while bytes[index] == 32 { index += 1 }
                while (48 ... 57).contains(bytes[index]) {
                    value = value * 10 + Int(bytes[index] - 48)
                    index += 1
                }
                return value
            }
            return 0
        }
    }

    /// An ASCII letter in lower case; any other byte as it is.
    private static func lowercased(_ byte: UInt8) -> UInt8 {
        (65 ... 90).contains(byte) ? byte | 32 : byte
    }
}
