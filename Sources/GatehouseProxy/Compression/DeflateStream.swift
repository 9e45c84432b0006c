import CZlib
import NIOCore

/// A zlib deflate stream producing `gzip` (RFC 1952) or `deflate` (the zlib format, RFC 1950 —
/// what HTTP's `deflate` coding means) output, fed piece by piece. Owned by one exchange on one
/// event loop.
final class DeflateStream {
    private let stream: UnsafeMutablePointer<z_stream>
    private var ended = false

    /// `nil` if zlib cannot set the stream up (out of memory).
    init?(coding: ContentCoding, level: Int32 = 5) {
        stream = .allocate(capacity: 1)
        stream.initialize(to: z_stream())
        let windowBits: Int32 = coding == .gzip ? 15 + 16 : 15
        let status = deflateInit2_(stream, level, Z_DEFLATED, windowBits, 8, Z_DEFAULT_STRATEGY, zlibVersion(), Int32(MemoryLayout<z_stream>.size))
        guard status == Z_OK else {
            stream.deallocate()
            return nil
        }
    }

    deinit {
        if !ended { deflateEnd(stream) }
        stream.deallocate()
    }

    /// Compresses `input`; with `finish`, also ends the stream (trailer included).
    func compress(_ input: ByteBuffer, finish: Bool, allocator: ByteBufferAllocator) -> ByteBuffer {
        var output = allocator.buffer(capacity: max(256, input.readableBytes / 2 + 64))
        input.withUnsafeReadableBytes { raw in
            let base = raw.baseAddress.map { UnsafeMutablePointer(mutating: $0.assumingMemoryBound(to: Bytef.self)) }
            stream.pointee.next_in = base
            stream.pointee.avail_in = UInt32(raw.count)
            let flush = finish ? Z_FINISH : Z_NO_FLUSH
            while true {
                if output.writableBytes < 256 { output.reserveCapacity(output.capacity * 2) }
                let status = output.writeWithUnsafeMutableBytes(minimumWritableBytes: 256) { target in
                    stream.pointee.next_out = target.baseAddress!.assumingMemoryBound(to: Bytef.self)
                    stream.pointee.avail_out = UInt32(target.count)
                    let status = deflate(stream, flush)
                    return (target.count - Int(stream.pointee.avail_out), status)
                }
                if finish ? status == Z_STREAM_END : (stream.pointee.avail_in == 0 && stream.pointee.avail_out > 0) { break }
                if status != Z_OK && status != Z_BUF_ERROR { break }
            }
            stream.pointee.next_in = nil
        }
        if finish {
            deflateEnd(stream)
            ended = true
        }
        return output
    }
}

private extension ByteBuffer {
    /// Writes into the writable space with `body`, which returns how many bytes it wrote and a result.
    mutating func writeWithUnsafeMutableBytes<Result>(
        minimumWritableBytes: Int, _ body: (UnsafeMutableRawBufferPointer) -> (Int, Result)
    ) -> Result {
        var result: Result?
        writeWithUnsafeMutableBytes(minimumWritableBytes: minimumWritableBytes) { target in
            let (written, value) = body(target)
            result = value
            return written
        }
        return result!
    }
}
