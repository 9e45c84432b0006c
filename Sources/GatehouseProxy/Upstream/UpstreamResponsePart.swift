import NIOCore
import NIOHTTP1

/// One part of an upstream's response, as ``UpstreamResponseParser`` reads it: the head (its
/// fields still as bytes), a piece of the body, the body's last piece with its end, or the end
/// with any trailers.
enum UpstreamResponsePart {
    case head(UpstreamResponseHead)
    case body(ByteBuffer)
    /// The last bytes of a body of known length, and its end: a short response that arrived
    /// whole is acted on in one part, not two.
    case lastBody(ByteBuffer)
    case end(HTTPHeaders?)
}
