import NIOCore
import NIOHTTP1

/// Writes requests to an upstream in HTTP/1.1 (RFC 9112): the request line and fields as the
/// proxy built them, the body framed as the head says — by its `Content-Length`; else chunked
/// when the method carries a body (`POST`, `PUT`, `PATCH`) or the client's request was chunked;
/// `TRACE` carries none. (The framing rules of NIO's `HTTPRequestEncoder`, which this replaces
/// on upstream connections.)
struct UpstreamRequestEncoder {
    private var isChunked = false

    /// Sets `head`'s framing fields and writes it to `buffer`.
    mutating func writeHead(_ head: HTTPRequestHead, into buffer: inout ByteBuffer) {
        var headers = head.headers
        isChunked = Self.frame(method: head.method, headers: &headers)
        buffer.writeString(head.method.rawValue)
        buffer.writeInteger(UInt8(ascii: " "))
        buffer.writeString(head.uri)
        buffer.writeStaticString(" HTTP/1.1\r\n")
        buffer.writeHTTP1Fields(headers)
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

    /// Makes `headers` state how the body is framed; returns whether it is chunked.
    private static func frame(method: HTTPMethod, headers: inout HTTPHeaders) -> Bool {
        let hasLength = headers.contains(name: "content-length"), hasEncoding = headers.contains(name: "transfer-encoding")
        // (Checked first: removing what is absent would still copy the shared fields.)
        if method == .TRACE || hasLength {
            if method == .TRACE, hasLength { headers.remove(name: "content-length") }
            if hasEncoding { headers.remove(name: "transfer-encoding") }
            return false
        }
        if method == .POST || method == .PUT || method == .PATCH {
            headers.replaceOrAdd(name: "transfer-encoding", value: "chunked")
            return true
        }
        return hasEncoding && headers.first(name: "transfer-encoding") == "chunked"
    }
}
