import NIOCore
import NIOHTTP1

/// One part of an upstream's response, as ``UpstreamResponseParser`` reads it: the head (its
/// fields still as bytes), a piece of the body, or the end with any trailers.
enum UpstreamResponsePart {
    case head(UpstreamResponseHead)
    case body(ByteBuffer)
    case end(HTTPHeaders?)
}
