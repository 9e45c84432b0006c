import NIOCore

/// Small writes gathered into one buffer until the next flush (or until it holds
/// ``limit`` bytes), so a message's head, a small body and its end leave in one write instead
/// of one pipeline write — and one I/O vector — each.
struct WriteGatherer {
    /// Body parts up to this size are worth copying into the gathered buffer; larger ones are
    /// written as they are.
    static let copiedBodyBytes = 1024
    /// Past this, the gathered buffer is written without waiting for a flush.
    static let limit = 16 * 1024

    /// Room for a typical head with the gateway's fields and a small body, so it is not regrown.
    private static let initialCapacity = 1024
    /// Buffers up to this capacity are kept for reuse; larger ones are let go.
    private static let keptCapacity = 4 * 1024

    private var gathered: ByteBuffer?
    /// The last buffer handed out, kept so the next message is gathered in its storage once the
    /// channel has written it and let go of it: a connection's messages then allocate nothing.
    /// (Still held by the channel, it is left alone and a new one is allocated.)
    private var spare: ByteBuffer?

    /// Appends what `write` writes; returns the gathered bytes when they are due now.
    mutating func append(using allocator: ByteBufferAllocator, _ write: (inout ByteBuffer) -> Void) -> ByteBuffer? {
        var buffer = gathered.take() ?? emptyBuffer(using: allocator)
        write(&buffer)
        guard buffer.readableBytes < Self.limit else { return handOut(buffer) }
        gathered = buffer
        return nil
    }

    /// Gathers one body part, framed as a chunk when `chunked` (RFC 9112 §7.1): a part up to
    /// ``copiedBodyBytes`` is copied in; a larger one (or a file region) goes to `write` as it
    /// is, after the bytes gathered before it, with its framing gathered around it. Whatever is
    /// due now is handed to `write`, in order.
    mutating func appendBody(_ body: IOData, chunked: Bool, using allocator: ByteBufferAllocator, write: (IOData) -> Void) {
        let length = body.readableBytes
        let framed = chunked && length > 0  // an empty chunk would end the body
        if case .byteBuffer(var bytes) = body, length <= Self.copiedBodyBytes {
            let due = append(using: allocator) { buffer in
                if framed { buffer.writeChunkSize(length) }
                buffer.writeBuffer(&bytes)
                if framed { buffer.writeStaticString("\r\n") }
            }
            if let due { write(.byteBuffer(due)) }
            return
        }
        if framed, let due = append(using: allocator, { $0.writeChunkSize(length) }) { write(.byteBuffer(due)) }
        if let before = take() { write(.byteBuffer(before)) }
        write(body)
        if framed, let due = append(using: allocator, { $0.writeStaticString("\r\n") }) { write(.byteBuffer(due)) }
    }

    /// The gathered bytes, if any, leaving nothing gathered.
    mutating func take() -> ByteBuffer? {
        guard let buffer = gathered.take() else { return nil }
        guard buffer.readableBytes > 0 else {
            spare = buffer
            return nil
        }
        return handOut(buffer)
    }

    /// The spare buffer emptied — its storage reused when nothing else holds it — or a new one.
    private mutating func emptyBuffer(using allocator: ByteBufferAllocator) -> ByteBuffer {
        guard var buffer = spare.take() else { return allocator.buffer(capacity: Self.initialCapacity) }
        buffer.clear()
        return buffer
    }

    private mutating func handOut(_ buffer: ByteBuffer) -> ByteBuffer {
        if buffer.capacity <= Self.keptCapacity { spare = buffer }
        return buffer
    }
}
