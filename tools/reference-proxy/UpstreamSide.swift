import NIOCore
import NIOPosix

/// One keep-alive connection to the upstream: sends a request head, collects the response
/// until its `Content-Length` is in, hands it to the client side and goes back to the idle list.
final class UpstreamSide: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let idle: IdleUpstreams
    private var channel: (any Channel)?
    private var client: ClientSide?
    private var unread = ByteBuffer()

    init(idle: IdleUpstreams) { self.idle = idle }

    func handlerAdded(context: ChannelHandlerContext) { channel = context.channel }
    func handlerRemoved(context: ChannelHandlerContext) { channel = nil }

    func send(_ head: ByteBuffer, answering client: ClientSide) {
        self.client = client
        channel?.writeAndFlush(head, promise: nil)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var bytes = unwrapInboundIn(data)
        if unread.readableBytes == 0 { unread = bytes } else { unread.writeBuffer(&bytes) }
        guard let headLength = MessageEnd.headLength(unread),
              let response = unread.readSlice(length: headLength + MessageEnd.contentLength(unread, headLength: headLength)) else { return }
        unread.discardReadBytes()
        let client = self.client
        self.client = nil
        idle.connections.append(self)
        client?.respond(response)
    }
}

/// The event loop's idle upstream connections.
final class IdleUpstreams {
    let port: Int
    var connections: [UpstreamSide] = []

    init(port: Int) { self.port = port }

    /// An idle connection, or a new one once it is connected.
    func lease(on eventLoop: any EventLoop, _ use: @escaping (UpstreamSide) -> Void) {
        if let idle = connections.popLast() { return use(idle) }
        let bound = NIOLoopBound(self, eventLoop: eventLoop)
        ClientBootstrap(group: eventLoop)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(UpstreamSide(idle: bound.value)) }
            }
            .connect(host: "127.0.0.1", port: port)
            .assumeIsolated()
            .whenSuccess { channel in
                if let upstream = try? channel.pipeline.syncOperations.handler(type: UpstreamSide.self) { use(upstream) }
            }
    }
}
