import NIOCore
import NIOHTTP1

/// Response compression on the way to the client: chosen from the response head (see
/// ``CompressionPolicy``) and the request's `Accept-Encoding`, applied to the body as it streams.
extension ProxyHandler {
    /// Decides on compressing the response whose fields are `headers` and marks them if so;
    /// returns the coding chosen.
    @discardableResult
    func startCompression(_ exchange: Exchange, status: HTTPResponseStatus, headers: inout HTTPHeaders) -> ContentCoding? {
        guard let minimum = loop.configuration.compressionMinimumBytes, !exchange.isUpgrade,
              CompressionPolicy.compressible(status: status, headers: headers, method: exchange.head.method, minimumBytes: minimum) else { return nil }
        CompressionPolicy.addVary(&headers)
        guard let coding = ContentCoding.preferred(by: exchange.head.headers), let stream = DeflateStream(coding: coding) else { return nil }
        exchange.compressor = stream
        CompressionPolicy.markCompressed(&headers, coding: coding)
        return coding
    }

    /// Writes a piece of the response body, compressed when the response is.
    func writeBody(_ buffer: ByteBuffer, for exchange: Exchange, context: ChannelHandlerContext) {
        let output = exchange.compressor?.compress(buffer, finish: false, allocator: context.channel.allocator) ?? buffer
        guard output.readableBytes > 0 else { return }
        exchange.responseBytes += output.readableBytes
        writeToClient(.body(.byteBuffer(output)), context: context)
    }

    /// Writes what the compressor still holds (its trailer included).
    func finishCompression(_ exchange: Exchange, context: ChannelHandlerContext) {
        guard let compressor = exchange.compressor else { return }
        exchange.compressor = nil
        let tail = compressor.compress(ByteBuffer(), finish: true, allocator: context.channel.allocator)
        exchange.responseBytes += tail.readableBytes
        writeToClient(.body(.byteBuffer(tail)), context: context)
    }
}
