import NIOCore
import NIOHTTP1

/// Writes responses to a client in HTTP/1 (RFC 9112), heads exactly as the proxy built them
/// (it sets the framing fields itself): the body chunked when the head says
/// `Transfer-Encoding: chunked` (HTTP/1.1), and no body at all in answer to `HEAD` or `CONNECT`
/// — the requests' methods are recorded as they are read, and each final response takes the
/// oldest. (The behaviour of NIO's `HTTPResponseEncoder` without automatic framing, which this
/// replaces on client connections.)
struct ClientResponseEncoder {
    /// Methods of the requests read and not answered yet, oldest first (a ring: taking the
    /// oldest moves nothing).
    private var methods = CircularBuffer<HTTPMethod>(initialCapacity: 4)
    private var isChunked = false
    private var withoutBody = false

    /// A request was read; its response comes in turn.
    mutating func requestRead(_ method: HTTPMethod) {
        methods.append(method)
    }

    /// Writes `head` to `buffer`. An interim (1xx but 101) head leaves the request waiting for
    /// its final response.
    mutating func writeHead(_ head: HTTPResponseHead, into buffer: inout ByteBuffer) {
        let code = head.status.code
        if !(100 ..< 200).contains(code) || code == 101 { answerOldestRequest() }
        isChunked = !withoutBody && (head.version.major, head.version.minor) >= (1, 1)
            && head.headers.first(name: "transfer-encoding") == "chunked"
        buffer.writeHTTP1StatusLine(version: head.version, status: head.status)
        buffer.writeHTTP1Fields(head.headers)
    }

    /// Writes a final response head encoded by the caller: `write` writes its status line and
    /// fields and returns whether the body is chunked (as its framing fields say) — what
    /// ``writeHead(_:into:)`` does with such a head, without fields to encode.
    mutating func writeEncodedHead(into buffer: inout ByteBuffer, _ write: (inout ByteBuffer) -> Bool) {
        answerOldestRequest()
        isChunked = write(&buffer) && !withoutBody
    }

    /// A final response (or a 101) starts: it answers the oldest request waiting.
    private mutating func answerOldestRequest() {
        guard !methods.isEmpty else { return }
        let method = methods.removeFirst()
        withoutBody = method.isHEAD || method.isCONNECT
    }

    /// Whether body bytes are written at all (not for a `HEAD` or `CONNECT` request's response).
    var carriesBody: Bool { !withoutBody }

    /// Whether the body is written in chunks (``WriteGatherer/appendBody(_:chunked:using:write:)``).
    var chunksBody: Bool { isChunked }

    /// Writes the end of the response (the last chunk and any trailers, when chunked).
    mutating func writeEnd(trailers: HTTPHeaders?, into buffer: inout ByteBuffer) {
        withoutBody = false
        guard isChunked else { return }
        buffer.writeStaticString("0\r\n")
        buffer.writeHTTP1Fields(trailers ?? [:])
    }
}
