import NIOCore
import NIOPosix

/// A client connection: each complete request head is answered from the stored response, or
/// written as it came to an idle upstream connection (a new one when none is idle).
final class ClientSide: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let upstreams: IdleUpstreams
    private let storedResponse: ByteBuffer?
    private var unread = ByteBuffer()
    private var context: ChannelHandlerContext?

    init(upstreams: IdleUpstreams, storedResponse: ByteBuffer?) {
        self.upstreams = upstreams
        self.storedResponse = storedResponse
    }

    func handlerAdded(context: ChannelHandlerContext) { self.context = context }
    func handlerRemoved(context: ChannelHandlerContext) { self.context = nil }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var bytes = unwrapInboundIn(data)
        if unread.readableBytes == 0 { unread = bytes } else { unread.writeBuffer(&bytes) }
        guard let length = MessageEnd.headLength(unread), let head = unread.readSlice(length: length) else { return }
        unread.discardReadBytes()
        if let storedResponse { return respond(storedResponse) }
        upstreams.lease(on: context.eventLoop) { upstream in upstream.send(head, answering: self) }
    }

    /// Sends a complete response to the client.
    func respond(_ response: ByteBuffer) {
        context?.writeAndFlush(wrapOutboundOut(response), promise: nil)
    }
}
