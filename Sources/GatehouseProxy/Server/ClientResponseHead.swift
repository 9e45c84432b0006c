import NIOHTTP1

/// The response head sent to the client for an upstream's: hop-by-hop fields removed, the
/// gateway's fields added, and framing chosen for the client's HTTP version.
enum ClientResponseHead {
    /// `adjusting` changes the fields before framing is chosen (cache fields, compression);
    /// `hopByHop` is the upstream head's, when the caller found them already.
    ///
    /// One pass over the upstream's fields decides which stay — not hop-by-hop, not set by the
    /// gateway (its own fields, CORS when configured, `Via`) — and which security fields the
    /// upstream already set; the gateway's fields follow them, in this order: its own
    /// (`X-Request-ID`, `X-Gateway`, `X-Backend-Service`, route-test marks, rate-limit and
    /// version fields), CORS, the version's `Link`, the security fields the upstream did not
    /// set, and `Via` (the upstream's hops, then this gateway).
    static func make(
        from upstream: HTTPResponseHead, hopByHop: HopByHopHeaders.Present? = nil, for exchange: Exchange, gatewayName: String, draining: Bool,
        adjusting: (inout HTTPHeaders) -> Void = { _ in }
    ) -> HTTPResponseHead {
        let routeTestFields: [(String, String)] = exchange.isRouteTest
            ? [exchange.routeEntry.map { (AdminRequestMarker.routeField, $0.route.id.description) }, exchange.instance.map { (AdminRequestMarker.instanceField, $0.serviceURL) }]
                .compactMap { $0 }
            : []
        // The gateway sets fields of this name itself.
        func isGatewayField(_ name: String) -> Bool {
            name.equalsIgnoringASCIICase("X-Request-ID") || name.equalsIgnoringASCIICase("X-Gateway") || name.equalsIgnoringASCIICase("X-Backend-Service")
                || routeTestFields.contains { name.equalsIgnoringASCIICase($0.0) }
                || (!exchange.rateLimitFields.isEmpty && RateLimitHeaders.isLimitField(name))
                || exchange.versionFields.contains { $0.0 != "Link" && name.equalsIgnoringASCIICase($0.0) }
        }
        let security = SecurityHeaders.fields(for: exchange.routeEntry?.route.middlewareConfig ?? [], tls: exchange.isTLS)
        let hopByHop = hopByHop ?? HopByHopHeaders.present(in: upstream.headers)
        let replacesCORS = !exchange.corsFields.isEmpty
        var fields: [(String, String)] = []
        // Room for what `adjusting` and the framing add too (cache fields, `Age`, `Vary`,
        // `Transfer-Encoding`, `Connection`), so the array is not regrown.
        fields.reserveCapacity(
            upstream.headers.count + 12 + exchange.rateLimitFields.count + exchange.versionFields.count + security.count + exchange.corsFields.count
        )
        var upstreamSet: UInt64 = 0  // bit i: the upstream set security[i] itself
        var hops: [String] = []  // the upstream's `Via` hops
        for (name, value) in upstream.headers {
            if !hopByHop.isEmpty, hopByHop.contains(name) { continue }
            if isGatewayField(name) { continue }
            if replacesCORS, name.utf8.count >= 15, name.prefix(15).equalsIgnoringASCIICase("access-control-") { continue }
            if name.equalsIgnoringASCIICase("via") {
                value.forEachPiece(separatedByASCII: UInt8(ascii: ","), omittingEmpty: true) { hop in
                    let trimmed = hop.trimmingSpaces()
                    if !trimmed.isEmpty { hops.append(String(trimmed)) }
                }
                continue
            }
            if let index = security.firstIndex(where: { name.equalsIgnoringASCIICase($0.0) }) { upstreamSet |= 1 << UInt64(index) }
            fields.append((name, value))
        }
        fields.append(("X-Request-ID", exchange.requestID))
        fields.append(("X-Gateway", gatewayName))
        fields.append(("X-Backend-Service", exchange.service))
        fields += routeTestFields
        fields += exchange.rateLimitFields
        for field in exchange.versionFields where field.0 != "Link" { fields.append(field) }
        fields += exchange.corsFields
        for field in exchange.versionFields where field.0 == "Link" { fields.append(field) }
        for (index, field) in security.enumerated() where upstreamSet & 1 << UInt64(index) == 0 { fields.append(field) }
        fields.append(("Via", ForwardingHeaders.via(after: hops)))
        // Consumed: a copy left behind would make the first field `adjusting` adds copy them all.
        var headers = HTTPHeaders(consume fields)
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
