import NIOCore

/// The first handler on a plain-text connection: looks at the first bytes, and when they are the
/// HTTP/2 connection preface (a client with prior knowledge: h2c) sets the connection up for
/// HTTP/2, otherwise for HTTP/1.1; then hands the bytes on and removes itself.
final class ProtocolSniffer: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer

    /// `PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n` (RFC 9113 §3.4).
    static let preface = Array("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".utf8)

    private let configureHTTP2: (any Channel) throws -> Void
    private let configureHTTP1: (any Channel) throws -> Void
    private var buffered: ByteBuffer?

    init(http2: @escaping (any Channel) throws -> Void, http1: @escaping (any Channel) throws -> Void) {
        configureHTTP2 = http2
        configureHTTP1 = http1
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var incoming = unwrapInboundIn(data)
        if buffered == nil {
            buffered = incoming
        } else {
            buffered!.writeBuffer(&incoming)
        }
        let bytes = buffered!.readableBytesView
        let compared = min(bytes.count, Self.preface.count)
        let matches = bytes.prefix(compared).elementsEqual(Self.preface.prefix(compared))
        guard !matches || compared == Self.preface.count else { return }  // wait for more
        do {
            try (matches ? configureHTTP2 : configureHTTP1)(context.channel)
            let data = buffered!
            buffered = nil
            context.fireChannelRead(wrapInboundOut(data))
            context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
        } catch {
            context.close(promise: nil)
        }
    }

    typealias InboundOut = ByteBuffer
}
