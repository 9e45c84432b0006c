import NIOHTTP1

/// The response head sent to the client for an upstream's: hop-by-hop fields removed, the
/// gateway's fields added, and framing chosen for the client's HTTP version.
enum ClientResponseHead {
    /// `adjusting` changes the fields before framing is chosen (cache fields, compression).
    static func make(
        from upstream: HTTPResponseHead, for exchange: Exchange, gatewayName: String, draining: Bool, adjusting: (inout HTTPHeaders) -> Void = { _ in }
    ) -> HTTPResponseHead {
        var headers = upstream.headers
        HopByHopHeaders.remove(from: &headers)
        var gatewayFields = [("X-Request-ID", exchange.requestID), ("X-Gateway", gatewayName), ("X-Backend-Service", exchange.service)]
        if exchange.isRouteTest {
            if let route = exchange.route { gatewayFields.append((AdminRequestMarker.routeField, route.id.description)) }
            if let instance = exchange.instance { gatewayFields.append((AdminRequestMarker.instanceField, instance.serviceURL)) }
        }
        gatewayFields += exchange.rateLimitFields
        gatewayFields += exchange.versionFields.filter { $0.0 != "Link" }
        headers.replaceOrAdd(gatewayFields)
        if !exchange.corsFields.isEmpty {
            for name in headers.map(\.name) where name.lowercased().hasPrefix("access-control-") { headers.remove(name: name) }
            for (name, value) in exchange.corsFields { headers.add(name: name, value: value) }
        }
        for (name, value) in exchange.versionFields where name == "Link" { headers.add(name: name, value: value) }
        for (name, value) in SecurityHeaders.fields(for: exchange.route, tls: exchange.isTLS) where !headers.contains(name: name) {
            headers.add(name: name, value: value)
        }
        headers.replaceOrAdd(name: "Via", value: ForwardingHeaders.via(after: headers))
        adjusting(&headers)
        frame(&headers, status: upstream.status, for: exchange, draining: draining)
        return HTTPResponseHead(version: exchange.head.version, status: upstream.status, headers: headers)
    }

    /// Adds the framing and connection fields: `Content-Length` is kept; otherwise HTTP/1.1
    /// clients get chunked encoding and HTTP/1.0 clients a close-delimited body.
    static func frame(_ headers: inout HTTPHeaders, status: HTTPResponseStatus, for exchange: Exchange, draining: Bool) {
        // HTTP/2 frames bodies itself and forbids connection-specific fields.
        guard exchange.head.version.major < 2 else { return }
        let hasBody = exchange.head.method != .HEAD && status.mayHaveResponseBody
        if hasBody, !headers.contains(name: "content-length") {
            if exchange.head.version.isAtLeastHTTP11 {
                headers.add(name: "Transfer-Encoding", value: "chunked")
            } else {
                exchange.closeAfterResponse = true
            }
        }
        if draining || !exchange.keepAlive { exchange.closeAfterResponse = true }
        if exchange.closeAfterResponse {
            headers.add(name: "Connection", value: "close")
        } else if !exchange.head.version.isAtLeastHTTP11 {
            headers.add(name: "Connection", value: "keep-alive")
        }
    }
}

extension HTTPVersion {
    /// HTTP/1.1 or later: persistent by default, chunked encoding understood.
    var isAtLeastHTTP11: Bool { major > 1 || (major == 1 && minor >= 1) }
}
