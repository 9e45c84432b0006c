import CZlib
import Foundation

/// zlib's inflate, to check what the gateway compressed: `gzip` or `deflate` (zlib-wrapped) data.
public enum Inflate {
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    public static func decompress(_ data: Data) throws -> Data {
        // zlib keeps the stream's address: it must not move between calls.
        let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        stream.initialize(to: z_stream())
        defer { stream.deallocate() }
        // 15 + 32: detect the gzip or zlib header.
        guard inflateInit2_(stream, 15 + 32, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw Failure(description: "inflateInit2 failed")
        }
        defer { inflateEnd(stream) }
        var input = [UInt8](data)
        var output = Data()
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        let status: Int32 = input.withUnsafeMutableBufferPointer { source in
            stream.pointee.next_in = source.baseAddress
            stream.pointee.avail_in = UInt32(source.count)
            var status = Z_OK
            repeat {
                status = chunk.withUnsafeMutableBufferPointer { target in
                    stream.pointee.next_out = target.baseAddress
                    stream.pointee.avail_out = UInt32(target.count)
                    let status = inflate(stream, Z_NO_FLUSH)
                    output.append(target.baseAddress!, count: target.count - Int(stream.pointee.avail_out))
                    return status
                }
            } while status == Z_OK
            return status
        }
        guard status == Z_STREAM_END else { throw Failure(description: "inflate ended with \(status) after \(output.count) bytes") }
        return output
    }
}
