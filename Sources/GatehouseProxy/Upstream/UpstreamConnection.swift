import NIOCore
import NIOHTTP1

/// Receives what happens on an upstream connection while an exchange is using it.
protocol UpstreamConnectionDelegate: AnyObject {
    /// A part of the response, handed over (moved, not copied).
    func upstream(_ connection: UpstreamConnection, received part: consuming UpstreamResponsePart)
    /// The connection broke or was closed before the response ended.
    func upstream(_ connection: UpstreamConnection, failed error: any Error)
    func upstreamWritabilityChanged(_ connection: UpstreamConnection)
    /// A read burst ended: time to flush what was relayed.
    func upstreamReadComplete(_ connection: UpstreamConnection)
}

/// One keep-alive HTTP/1.1 connection to an upstream instance, owned by one event loop.
final class UpstreamConnection {
    let channel: any Channel
    let address: UpstreamAddress
    fileprivate let handler: UpstreamHandler

    init(channel: any Channel, address: UpstreamAddress, handler: UpstreamHandler) {
        self.channel = channel
        self.address = address
        self.handler = handler
        handler.connection = self
    }

    /// The exchange receiving this connection's events; `nil` while idle in the pool.
    var delegate: (any UpstreamConnectionDelegate)? {
        get { handler.delegate }
        set { handler.delegate = newValue }
    }

    /// Called once when the channel closes, with this connection (the pool forgets it).
    var onClose: ((UpstreamConnection) -> Void)? {
        get { handler.onClose }
        set { handler.onClose = newValue }
    }

    var isActive: Bool { channel.isActive }
    /// Whether the channel takes writes without queueing past its high-water mark.
    var isWritable: Bool { handler.isWritable }

    /// Starts a `method` request for `uri` with `fields` (framed for its body) and, when given,
    /// the `traceparent` of `trace`; sent with the next flush.
    func writeHead(method: HTTPMethod, uri: String, fields: borrowing RewrittenFields, trace: TraceContext?) {
        handler.writeHead(method: method, uri: uri, fields: fields, trace: trace)
    }

    /// A part of the request's body.
    func writeBody(_ buffer: ByteBuffer) { handler.writeBody(buffer) }

    /// The end of the request.
    func writeEnd() { handler.writeEnd() }

    func flush() { handler.flush() }

    /// Stops (or resumes) reading the response: back-pressure from a slow client.
    func setReadsPaused(_ paused: Bool) { handler.setReadsPaused(paused) }

    /// After a 101: hands the bytes that followed it, and everything read from now on, to the
    /// handler after this connection's (a tunnel).
    func passBytesThrough() { handler.passBytesThrough() }

    func close() {
        channel.close(promise: nil)
    }
}

/// The only handler of an upstream connection (behind TLS, for HTTPS): writes requests in
/// HTTP/1.1 (``UpstreamRequestEncoder``), reads responses (``UpstreamResponseParser``) and hands
/// their parts straight to the delegate, and holds reads back while the client cannot keep up.
/// Small writes are gathered (``WriteGatherer``), so a request without a body leaves in one
/// write.
///
/// Its references to the connection and the delegate are strong and cleared by hand — the
/// delegate when the exchange lets the connection go, the connection when the channel's
/// pipeline drops this handler — because a weak reference gives its object a side table, and
/// then every retain and release of it (the proxy handler's, many per request) takes the
/// runtime's slow path.
final class UpstreamHandler: ChannelDuplexHandler, RemovableChannelHandler, TickFlushing {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    /// The connection closed while the exchange waited.
    struct ConnectionClosed: Error {}

    var connection: UpstreamConnection?
    /// The exchange's handler while it uses the connection; cleared when it lets go.
    var delegate: (any UpstreamConnectionDelegate)?
    var onClose: ((UpstreamConnection) -> Void)?
    private var context: ChannelHandlerContext?
    /// The channel's allocator, read once (each read through the channel retains and releases
    /// it and its pipeline).
    private var allocator = ByteBufferAllocator()
    private var readGate = ReadGate()
    private var encoder = UpstreamRequestEncoder()
    private var parser = UpstreamResponseParser()
    /// Bytes of a response part that has not arrived whole yet.
    private var unparsed: ByteBuffer?
    private var gatherer = WriteGatherer()
    /// After a 101, once a tunnel follows this handler: bytes pass through unread.
    private var passingThrough = false
    private let flushes: TickFlushes
    var flushDue = false
    /// The channel's writability, as its last change said: kept here because reading the
    /// channel's own flag (an atomic in another object) costs a likely cache miss per read.
    private(set) var isWritable = true

    init(flushes: TickFlushes) {
        self.flushes = flushes
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        allocator = context.channel.allocator
        isWritable = context.channel.isWritable
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
        // The connection holds this handler: the channel is done, so the cycle ends here.
        connection = nil
        delegate = nil
    }

    // MARK: Requests

    func writeHead(method: HTTPMethod, uri: String, fields: borrowing RewrittenFields, trace: TraceContext?) {
        parser.expectResponse(toHEAD: method.isHEAD)
        gather { encoder.writeHead(method: method, uri: uri, fields: fields, trace: trace, into: &$0) }
    }

    func writeBody(_ body: ByteBuffer) {
        guard let context else { return }
        gatherer.appendBody(.byteBuffer(body), chunked: encoder.chunksBody, using: allocator) {
            context.write(NIOAny($0), promise: nil)
        }
    }

    func writeEnd() {
        if encoder.writesEnd { gather { encoder.writeEnd(into: &$0) } }
    }

    /// Flushes at the end of the loop's tick (``TickFlushes``).
    func flush() {
        guard context != nil else { return }
        flushes.schedule(self)
    }

    func flushNow() {
        guard let context else { return }
        writeGathered(context)
        context.flush()
    }

    private func gather(_ write: (inout ByteBuffer) -> Void) {
        guard let context else { return }
        if let due = gatherer.append(using: allocator, write) { context.write(wrapOutboundOut(due), promise: nil) }
    }

    private func writeGathered(_ context: ChannelHandlerContext) {
        if let gathered = gatherer.take() { context.write(wrapOutboundOut(gathered), promise: nil) }
    }

    // MARK: Responses

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var buffer = unwrapInboundIn(data)
        if passingThrough { return context.fireChannelRead(data) }
        if var carried = unparsed {
            unparsed = nil
            carried.writeBuffer(&buffer)
            buffer = carried
        }
        do {
            // One part at a time, each acted on before the next is read: the delegate may hand
            // the connection back to the pool and a new request may start on it meanwhile.
            while let part = try parser.next(from: &buffer) {
                deliver(consume part)
            }
        } catch {
            return fail(error, context: context)
        }
        if buffer.readableBytes > 0 { unparsed = buffer }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        if let connection { delegate?.upstreamReadComplete(connection) }
        context.fireChannelReadComplete()
    }

    /// See ``UpstreamConnection/passBytesThrough()``.
    func passBytesThrough() {
        guard let context, parser.isUpgraded else { return }
        passingThrough = true
        if let rest = unparsed {
            unparsed = nil
            context.fireChannelRead(wrapInboundOut(rest))
            context.fireChannelReadComplete()
        }
    }

    private func deliver(_ part: consuming UpstreamResponsePart) {
        guard let connection else { return }
        delegate?.upstream(connection, received: part)
    }

    private func fail(_ error: any Error, context: ChannelHandlerContext) {
        if let connection, let delegate {
            self.delegate = nil
            delegate.upstream(connection, failed: error)
        }
        context.close(promise: nil)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        fail(error, context: context)
    }

    func channelInactive(context: ChannelHandlerContext) {
        // A body delimited by the close has ended; anything else was cut short.
        if !passingThrough, let end = parser.inputEnded() { deliver(end) }
        if let connection, let delegate {
            self.delegate = nil
            delegate.upstream(connection, failed: ConnectionClosed())
        }
        let onClose = self.onClose
        self.onClose = nil
        if let connection { onClose?(connection) }
        context.fireChannelInactive()
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        isWritable = context.channel.isWritable
        if let connection { delegate?.upstreamWritabilityChanged(connection) }
        context.fireChannelWritabilityChanged()
    }

    func read(context: ChannelHandlerContext) {
        if readGate.admitRead() { context.read() }
    }

    func setReadsPaused(_ paused: Bool) {
        if readGate.setClosed(paused) { context?.read() }
    }
}
