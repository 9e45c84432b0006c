import NIOCore
import NIOHTTP1

/// Writes requests to an upstream in HTTP/1.1 (RFC 9112): the request line and fields as the
/// proxy rewrote them, the body framed as the fields say — by its `Content-Length`; else chunked
/// when the method carries a body (`POST`, `PUT`, `PATCH`) or the client's request was chunked;
/// `TRACE` carries none. (The framing rules of NIO's `HTTPRequestEncoder`, which this replaces
/// on upstream connections.)
struct UpstreamRequestEncoder {
    private var isChunked = false

    /// Writes the head of a `method` request for `uri` to `buffer`: `fields` with the framing
    /// fields set, and `trace`'s `traceparent` when given.
    mutating func writeHead(method: HTTPMethod, uri: String, fields: borrowing RewrittenFields, trace: TraceContext? = nil, into buffer: inout ByteBuffer) {
        let framing = Framing(method: method, fields: fields)
        isChunked = framing.chunked
        buffer.writeString(method.rawValue)
        buffer.writeInteger(UInt8(ascii: " "))
        buffer.writeString(uri)
        buffer.writeStaticString(" HTTP/1.1\r\n")
        fields.forEach { name, value in
            if framing.dropsLength, name.isNamed("content-length") { return }
            if framing.dropsEncoding, name.isNamed("transfer-encoding") { return }
            buffer.writeHTTP1Field(name.bytes, value.bytes)
        }
        trace?.writeField(into: &buffer)
        if framing.addsChunked { buffer.writeHTTP1Field("transfer-encoding", "chunked") }
        buffer.writeStaticString("\r\n")
    }

    /// Whether the body is written in chunks (``WriteGatherer/appendBody(_:chunked:using:write:)``).
    var chunksBody: Bool { isChunked }

    /// Whether the end of the body is written at all (the last chunk, when chunked).
    var writesEnd: Bool { isChunked }

    /// Writes the end of the body (the last chunk, when chunked).
    func writeEnd(into buffer: inout ByteBuffer) {
        guard isChunked else { return }
        buffer.writeStaticString("0\r\n\r\n")
    }

    /// How the body is framed, and the field changes that say so.
    private struct Framing {
        var chunked = false
        var dropsLength = false
        var dropsEncoding = false
        /// `Transfer-Encoding: chunked` goes last (any other `Transfer-Encoding` dropped).
        var addsChunked = false

        init(method: HTTPMethod, fields: borrowing RewrittenFields) {
            let hasLength = fields.contains("content-length"), hasEncoding = fields.contains("transfer-encoding")
            // Matched by case: `==` on NIO's methods compares their names.
            let isTRACE: Bool, sendsBody: Bool
            switch method {
            case .TRACE: (isTRACE, sendsBody) = (true, false)
            case .POST, .PUT, .PATCH: (isTRACE, sendsBody) = (false, true)
            default: (isTRACE, sendsBody) = (false, false)
            }
            if isTRACE || hasLength {
                dropsLength = isTRACE && hasLength
                dropsEncoding = hasEncoding
            } else if sendsBody {
                (chunked, dropsEncoding, addsChunked) = (true, true, true)
            } else {
                chunked = hasEncoding && fields.first("transfer-encoding") == "chunked"
            }
        }
    }
}
