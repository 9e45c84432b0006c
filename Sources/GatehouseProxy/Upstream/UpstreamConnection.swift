import NIOCore
import NIOHTTP1

/// Receives what happens on an upstream connection while an exchange is using it.
protocol UpstreamConnectionDelegate: AnyObject {
    func upstream(_ connection: UpstreamConnection, received part: HTTPClientResponsePart)
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

    /// Called once when the channel closes (the pool forgets the connection).
    var onClose: (() -> Void)? {
        get { handler.onClose }
        set { handler.onClose = newValue }
    }

    var isActive: Bool { channel.isActive }
    var isWritable: Bool { channel.isWritable }

    func write(_ part: HTTPClientRequestPart) {
        channel.write(part, promise: nil)
    }

    func flush() { channel.flush() }

    /// Stops (or resumes) reading the response: back-pressure from a slow client.
    func setReadsPaused(_ paused: Bool) { handler.setReadsPaused(paused) }

    func close() {
        channel.close(promise: nil)
    }
}

/// The last handler of an upstream connection: forwards response parts to the delegate and
/// holds reads back while the client cannot keep up.
final class UpstreamHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPClientResponsePart
    typealias OutboundIn = HTTPClientRequestPart
    typealias OutboundOut = HTTPClientRequestPart

    /// The connection closed while the exchange waited.
    struct ConnectionClosed: Error {}

    weak var connection: UpstreamConnection?
    weak var delegate: (any UpstreamConnectionDelegate)?
    var onClose: (() -> Void)?
    private var context: ChannelHandlerContext?
    private var readGate = ReadGate()

    func handlerAdded(context: ChannelHandlerContext) { self.context = context }

    func handlerRemoved(context: ChannelHandlerContext) { self.context = nil }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard let connection else { return }
        delegate?.upstream(connection, received: unwrapInboundIn(data))
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        if let connection { delegate?.upstreamReadComplete(connection) }
        context.fireChannelReadComplete()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if let connection, let delegate {
            self.delegate = nil
            delegate.upstream(connection, failed: error)
        }
        context.close(promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        if let connection, let delegate {
            self.delegate = nil
            delegate.upstream(connection, failed: ConnectionClosed())
        }
        let onClose = self.onClose
        self.onClose = nil
        onClose?()
        context.fireChannelInactive()
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
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
