import NIOCore
import NIOHTTP1

/// HTTP/1 on a client connection, in one handler: requests read by ``ClientRequestParser``
/// and handed to the ``ProxyHandler`` after it with their fields left in their bytes
/// (``ClientRequestHead``) — to any other handler as NIO's request parts — responses written by ``ClientResponseEncoder`` with
/// small writes gathered (``WriteGatherer``). It replaces NIO's decoder and encoder pair: one
/// handler less to cross per message part, no HTTP parser callbacks, and a response without a
/// large body leaves in one write.
///
/// A malformed request is reported once through `errorCaught` (an ``HTTP1ParseError``) and
/// nothing after it is read. After a request asking to switch protocols the bytes that follow
/// are held until its answer: a refusal resumes HTTP/1; on a 101 the handler is removed and
/// passes them on to whatever replaces it (a tunnel).
final class HTTP1ServerCodec: ChannelDuplexHandler, RemovableChannelHandler, TickFlushing {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = HTTPServerRequestPart
    typealias OutboundIn = HTTPServerResponsePart
    typealias OutboundOut = ByteBuffer

    private var parser: ClientRequestParser
    private var encoder = ClientResponseEncoder()
    private var gatherer = WriteGatherer()
    /// Bytes of a request part that has not arrived whole yet, or held during an upgrade.
    private var unparsed: ByteBuffer?
    private var failed = false
    private var context: ChannelHandlerContext?
    /// The channel's allocator, read once (each read through the channel retains and releases
    /// it and its pipeline).
    private var allocator = ByteBufferAllocator()

    private let flushes: TickFlushes
    var flushDue = false
    /// The ``ProxyHandler`` right after this handler, which takes the request parts directly
    /// (not wrapped for a trip through the pipeline) while both are in it. The two hold each
    /// other until either leaves the pipeline.
    var receiver: ProxyHandler?

    /// `headLimit`: the longest request head read (request line and fields); `flushes`: the
    /// loop's, where flushes wait for the end of its tick.
    init(headLimit: Int, flushes: TickFlushes) {
        parser = ClientRequestParser(headLimit: headLimit)
        self.flushes = flushes
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        allocator = context.channel.allocator
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
        receiver = nil
    }

    // MARK: Requests

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !failed else { return }
        var buffer = unwrapInboundIn(data)
        if var carried = unparsed {
            unparsed = nil
            carried.writeBuffer(&buffer)
            buffer = carried
        }
        parse(&buffer, context: context)
    }

    /// Passes on every complete part in `buffer`, keeping the rest for the next read.
    private func parse(_ buffer: inout ByteBuffer, context: ChannelHandlerContext) {
        do {
            // One part at a time, each acted on before the next is read.
            while self.context != nil, let part = try parser.next(from: &buffer) {
                if let method = part.headMethod { encoder.requestRead(method) }
                if let receiver {
                    receiver.received(consume part)  // moved on, so the exchange keeps the head without copying it
                } else {
                    context.fireChannelRead(wrapInboundOut(part.nioPart))
                }
            }
        } catch {
            failed = true
            return context.fireErrorCaught(error)
        }
        // What waits for an upgrade's answer is held, but not without bound.
        if parser.isAwaitingUpgrade, buffer.readableBytes > parser.headLimit {
            failed = true
            return context.fireErrorCaught(HTTP1ParseError.tooMuchBeforeUpgrade(limit: parser.headLimit))
        }
        if buffer.readableBytes > 0 { unparsed = buffer }
    }

    /// Writes out a response waiting for its flush (the 101 of an upgrade), then hands bytes
    /// held after the upgrade request to the handler that replaces this one.
    func removeHandler(context: ChannelHandlerContext, removalToken: ChannelHandlerContext.RemovalToken) {
        if flushDue {
            writeGathered(context)
            context.flush()
        }
        if let rest = unparsed, !failed {
            unparsed = nil
            context.fireChannelRead(NIOAny(rest))
            context.fireChannelReadComplete()
        }
        context.leavePipeline(removalToken: removalToken)
    }

    // MARK: Responses

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        write(unwrapOutboundIn(data), promise: promise, context: context)
    }

    /// Writes a response part handed over by the ``ProxyHandler`` right after this handler:
    /// what its write through the pipeline does, without wrapping the part for the trip.
    /// `false` (nothing written) once the handler has left the pipeline.
    func writeDirectly(_ part: HTTPServerResponsePart, promise: EventLoopPromise<Void>?) -> Bool {
        guard let context else { return false }
        write(part, promise: promise, context: context)
        return true
    }

    private func write(_ part: HTTPServerResponsePart, promise: EventLoopPromise<Void>?, context: ChannelHandlerContext) {
        switch part {
        case .head(let head):
            gather(context) { encoder.writeHead(head, into: &$0) }
        case .body where !encoder.carriesBody:
            break  // a HEAD or CONNECT request's response has no body
        case .body(let body):
            gatherBody(body, context)
        case .end(let trailers):
            gather(context) { encoder.writeEnd(trailers: trailers, into: &$0) }
            resumeAfterRefusedUpgrade(context)
        }
        // A promise is kept in order: it completes with the write that carries this part.
        if let promise {
            context.write(wrapOutboundOut(gatherer.take() ?? allocator.buffer(capacity: 0)), promise: promise)
        }
    }

    /// Writes a final response head the proxy encoded itself — a cache hit's kept encoded
    /// (``EncodedHitHead``), an upstream's relayed from its bytes — (`writeHead` writes its status
    /// line and fields, and returns whether the body is chunked): what writing its `.head` part
    /// does, without fields to encode. Its `.body` and `.end` parts follow as usual (the
    /// ``ProxyHandler`` sits right after this handler). `false` (nothing written) once the
    /// handler has left the pipeline.
    func writeEncodedHead(_ writeHead: (inout ByteBuffer) -> Bool) -> Bool {
        guard let context else { return false }
        gather(context) { encoder.writeEncodedHead(into: &$0, writeHead) }
        return true
    }

    /// Waits for the end of the loop's tick (``TickFlushes``).
    func flush(context: ChannelHandlerContext) {
        flushes.schedule(self)
    }

    /// A flush asked for directly by the ``ProxyHandler`` right after this handler. `false`
    /// (nothing to flush here) once the handler has left the pipeline.
    func flushDirectly() -> Bool {
        guard context != nil else { return false }
        flushes.schedule(self)
        return true
    }

    func flushNow() {
        guard let context else { return }
        writeGathered(context)
        context.flush()
    }

    func close(context: ChannelHandlerContext, mode: CloseMode, promise: EventLoopPromise<Void>?) {
        if mode != .input {
            writeGathered(context)
            context.flush()
        }
        context.close(mode: mode, promise: promise)
    }

    private func gather(_ context: ChannelHandlerContext, _ write: (inout ByteBuffer) -> Void) {
        if let due = gatherer.append(using: allocator, write) { context.write(wrapOutboundOut(due), promise: nil) }
    }

    /// Gathers a body part, framed as the response's head says.
    private func gatherBody(_ body: IOData, _ context: ChannelHandlerContext) {
        gatherer.appendBody(body, chunked: encoder.chunksBody, using: allocator) { context.write(NIOAny($0), promise: nil) }
    }

    private func writeGathered(_ context: ChannelHandlerContext) {
        if let gathered = gatherer.take() { context.write(wrapOutboundOut(gathered), promise: nil) }
    }

    /// A response to an upgrade request ended without switching protocols: HTTP/1 goes on with
    /// the bytes held meanwhile (parsed on the next tick, outside this write).
    private func resumeAfterRefusedUpgrade(_ context: ChannelHandlerContext) {
        guard parser.isAwaitingUpgrade else { return }
        parser.upgradeRefused()
        context.eventLoop.assumeIsolated().execute { [self] in
            guard let context = self.context, !failed, var held = unparsed else { return }
            unparsed = nil
            parse(&held, context: context)
            context.fireChannelReadComplete()
        }
    }
}
