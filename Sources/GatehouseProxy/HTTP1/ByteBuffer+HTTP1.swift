import GatehouseCore
import NIOCore
import NIOHTTP1

extension ByteBuffer {
    /// Writes `fields` as HTTP/1 field lines and the empty line that ends them: one pass, each
    /// line copied as bytes after one capacity check (not one per piece).
    mutating func writeHTTP1Fields(_ fields: HTTPHeaders) {
        for (name, value) in fields { writeHTTP1Field(name, value) }
        writeStaticString("\r\n")
    }

    /// Writes one `name: value` field line.
    mutating func writeHTTP1Field(_ name: String, _ value: String) {
        writeWithUnsafeMutableBytes(minimumWritableBytes: name.utf8.count + value.utf8.count + 4) { output in
            var position = output.copyUTF8(of: name, at: 0)
            output[position] = UInt8(ascii: ":")
            output[position + 1] = UInt8(ascii: " ")
            position = output.copyUTF8(of: value, at: position + 2)
            output[position] = UInt8(ascii: "\r")
            output[position + 1] = UInt8(ascii: "\n")
            return position + 2
        }
    }

    /// Writes one `name: value` field line from the bytes of a received head.
    mutating func writeHTTP1Field(_ name: UnsafeRawBufferPointer, _ value: UnsafeRawBufferPointer) {
        writeWithUnsafeMutableBytes(minimumWritableBytes: name.count + value.count + 4) { output in
            output.copyMemory(from: name)
            output[name.count] = UInt8(ascii: ":")
            output[name.count + 1] = UInt8(ascii: " ")
            UnsafeMutableRawBufferPointer(rebasing: output[(name.count + 2)...]).copyMemory(from: value)
            let end = name.count + 2 + value.count
            output[end] = UInt8(ascii: "\r")
            output[end + 1] = UInt8(ascii: "\n")
            return end + 2
        }
    }

    /// Writes a status line, `HTTP/1.1 200 OK`: for HTTP/1.0 and 1.1 and three-digit codes in
    /// one write, without formatting numbers.
    mutating func writeHTTP1StatusLine(version: HTTPVersion, status: HTTPResponseStatus) {
        let code = Int(status.code)
        let reason = status.reasonPhrase
        guard version.major == 1, version.minor <= 1, (100 ... 999).contains(code) else {
            writeString("HTTP/\(version.major).\(version.minor) \(code) \(reason)\r\n")
            return
        }
        writeWithUnsafeMutableBytes(minimumWritableBytes: 13 + reason.utf8.count + 2) { output in
            let start: StaticString = version.minor == 1 ? "HTTP/1.1 " : "HTTP/1.0 "
            output.copyMemory(from: UnsafeRawBufferPointer(start: start.utf8Start, count: 9))
            output[9] = UInt8(ascii: "0") + UInt8(code / 100)
            output[10] = UInt8(ascii: "0") + UInt8(code / 10 % 10)
            output[11] = UInt8(ascii: "0") + UInt8(code % 10)
            output[12] = UInt8(ascii: " ")
            let end = output.copyUTF8(of: reason, at: 13)
            output[end] = UInt8(ascii: "\r")
            output[end + 1] = UInt8(ascii: "\n")
            return end + 2
        }
    }

    /// Writes the size line of a chunk of `length` bytes (RFC 9112 §7.1).
    mutating func writeChunkSize(_ length: Int) {
        writeString(String(length, radix: 16))
        writeStaticString("\r\n")
    }
}

extension UnsafeMutableRawBufferPointer {
    /// Copies the UTF-8 of `text` to `offset` (room for it must be there) and returns the offset
    /// after it. Read in place (a native string's storage, a small string's bytes on the
    /// stack): no copy of the string is made to get at them.
    fileprivate func copyUTF8(of text: String, at offset: Int) -> Int {
        text.withUTF8Bytes { bytes in
            UnsafeMutableRawBufferPointer(rebasing: self[offset...]).copyMemory(from: UnsafeRawBufferPointer(bytes))
            return offset + bytes.count
        }
    }
}
