import NIOCore
import NIOHTTP1

extension ByteBuffer {
    /// Writes `fields` as HTTP/1 field lines and the empty line that ends them.
    mutating func writeHTTP1Fields(_ fields: HTTPHeaders) {
        for (name, value) in fields {
            writeString(name)
            writeStaticString(": ")
            writeString(value)
            writeStaticString("\r\n")
        }
        writeStaticString("\r\n")
    }

    /// Writes the size line of a chunk of `length` bytes (RFC 9112 §7.1).
    mutating func writeChunkSize(_ length: Int) {
        writeString(String(length, radix: 16))
        writeStaticString("\r\n")
    }
}
