import NIOCore
import NIOHTTP1

extension ByteBuffer {
    /// Writes `fields` as HTTP/1 field lines and the empty line that ends them: one pass, each
    /// line copied as bytes after one capacity check (not one per piece).
    mutating func writeHTTP1Fields(_ fields: HTTPHeaders) {
        for (name, value) in fields {
            let length = name.utf8.count + value.utf8.count + 4
            writeWithUnsafeMutableBytes(minimumWritableBytes: length) { output in
                var position = 0
                func copy(_ text: String) {
                    var text = text
                    text.withUTF8 { bytes in
                        guard let source = bytes.baseAddress else { return }
                        (output.baseAddress! + position).copyMemory(from: source, byteCount: bytes.count)
                        position += bytes.count
                    }
                }
                copy(name)
                output[position] = UInt8(ascii: ":")
                output[position + 1] = UInt8(ascii: " ")
                position += 2
                copy(value)
                output[position] = UInt8(ascii: "\r")
                output[position + 1] = UInt8(ascii: "\n")
                return position + 2
            }
        }
        writeStaticString("\r\n")
    }

    /// Writes a status line, `HTTP/1.1 200 OK`, without formatting numbers for the common
    /// versions and three-digit codes.
    mutating func writeHTTP1StatusLine(version: HTTPVersion, status: HTTPResponseStatus) {
        switch (version.major, version.minor) {
        case (1, 1): writeStaticString("HTTP/1.1 ")
        case (1, 0): writeStaticString("HTTP/1.0 ")
        default: writeString("HTTP/\(version.major).\(version.minor) ")
        }
        let code = Int(status.code)
        if (100 ... 999).contains(code) {
            writeInteger(UInt8(ascii: "0") + UInt8(code / 100))
            writeInteger(UInt8(ascii: "0") + UInt8(code / 10 % 10))
            writeInteger(UInt8(ascii: "0") + UInt8(code % 10))
        } else {
            writeString(String(code))
        }
        writeInteger(UInt8(ascii: " "))
        writeString(status.reasonPhrase)
        writeStaticString("\r\n")
    }

    /// Writes the size line of a chunk of `length` bytes (RFC 9112 §7.1).
    mutating func writeChunkSize(_ length: Int) {
        writeString(String(length, radix: 16))
        writeStaticString("\r\n")
    }
}
