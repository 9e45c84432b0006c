import NIOCore
import NIOHTTP1

/// The response head sent to the client for an upstream's: hop-by-hop fields removed, the
/// gateway's fields added (see ``ResponseFieldSelection``), and framing chosen for the client's
/// HTTP version — built as NIO's head for the steps that change it, or written straight from
/// the upstream's bytes when none does.
enum ClientResponseHead {
    /// `adjusting` changes the fields before framing is chosen (cache fields, compression);
    /// `hopByHop` is the upstream head's, when the caller found them already.
    static func make(
        from upstream: HTTPResponseHead, hopByHop: HopByHopHeaders.Present? = nil, for exchange: Exchange, gatewayName: String, draining: Bool,
        adjusting: (inout HTTPHeaders) -> Void = { _ in }
    ) -> HTTPResponseHead {
        var selection = ResponseFieldSelection(
            for: exchange, gatewayName: gatewayName, hopByHop: hopByHop ?? HopByHopHeaders.present(in: upstream.headers)
        )
        var fields: [(String, String)] = []
        // Room for what `adjusting` and the framing add too (cache fields, `Age`, `Vary`,
        // `Transfer-Encoding`, `Connection`), so the array is not regrown.
        fields.reserveCapacity(upstream.headers.count + selection.addedCount + 8)
        for (name, value) in upstream.headers where selection.admits(name, value: { value }) { fields.append((name, value)) }
        selection.forEachAdded { fields.append(($0, $1)) }
        // Consumed: a copy left behind would make the first field `adjusting` adds copy them all.
        var headers = HTTPHeaders(consume fields)
        adjusting(&headers)
        frame(&headers, status: upstream.status, for: exchange, draining: draining)
        return HTTPResponseHead(version: exchange.head.version, status: upstream.status, headers: headers)
    }

    /// Writes the HTTP/1 head for an upstream's that no step adjusts: the same fields as
    /// ``make(from:hopByHop:for:gatewayName:draining:adjusting:)`` gives, in the same order,
    /// the upstream's copied from where they arrived. Returns whether the body is to be chunked.
    static func write(
        from upstream: UpstreamResponseHead, hopByHop: HopByHopHeaders.Present, for exchange: Exchange, gatewayName: String, draining: Bool,
        into buffer: inout ByteBuffer
    ) -> Bool {
        var selection = ResponseFieldSelection(for: exchange, gatewayName: gatewayName, hopByHop: hopByHop)
        let status = upstream.status
        buffer.writeHTTP1StatusLine(version: exchange.head.version, status: status)
        upstream.writeFields(into: &buffer) { name, value in selection.admits(name, value: { value.string }) }
        selection.writeAdded(into: &buffer)
        let framing = framing(hasContentLength: upstream.contentLength != nil, status: status, for: exchange, draining: draining)
        if framing.chunked { buffer.writeHTTP1Field("Transfer-Encoding", "chunked") }
        if let connection = framing.connection { buffer.writeHTTP1Field("Connection", connection) }
        buffer.writeStaticString("\r\n")
        return framing.chunked
    }

    /// Adds the framing and connection fields: `Content-Length` is kept; otherwise HTTP/1.1
    /// clients get chunked encoding and HTTP/1.0 clients a close-delimited body.
    static func frame(_ headers: inout HTTPHeaders, status: HTTPResponseStatus, for exchange: Exchange, draining: Bool) {
        let framing = framing(hasContentLength: headers.contains(name: "content-length"), status: status, for: exchange, draining: draining)
        if framing.chunked { headers.add(name: "Transfer-Encoding", value: "chunked") }
        if let connection = framing.connection { headers.add(name: "Connection", value: connection) }
    }

    /// How the response is framed for the client: chunked or not, and the `Connection` field it
    /// carries, if any (noting on `exchange` when the connection closes after it).
    private static func framing(
        hasContentLength: Bool, status: HTTPResponseStatus, for exchange: Exchange, draining: Bool
    ) -> (chunked: Bool, connection: String?) {
        // HTTP/2 frames bodies itself and forbids connection-specific fields.
        guard exchange.head.version.major < 2 else { return (false, nil) }
        let hasBody = !exchange.head.method.isHEAD && status.mayHaveResponseBody
        var chunked = false
        if hasBody, !hasContentLength {
            if exchange.head.version.isAtLeastHTTP11 {
                chunked = true
            } else {
                exchange.closeAfterResponse = true
            }
        }
        if draining || !exchange.keepAlive { exchange.closeAfterResponse = true }
        if exchange.closeAfterResponse { return (chunked, "close") }
        return (chunked, exchange.head.version.isAtLeastHTTP11 ? nil : "keep-alive")
    }
}

extension HTTPVersion {
    /// HTTP/1.1 or later: persistent by default, chunked encoding understood.
    var isAtLeastHTTP11: Bool { major > 1 || (major == 1 && minor >= 1) }
}
